from track.cli.fastpath import entry

entry()
