"""The command line: the Typer app, each command's body and declaration, the fast path, completion."""
