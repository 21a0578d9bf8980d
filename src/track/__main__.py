from track.fastpath import entry

entry()
