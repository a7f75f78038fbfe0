"""The graphkit CLI: main.py holds the group; each module here holds its commands (COMMANDS)."""
