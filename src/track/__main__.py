from track.cli import main

main()
