from track.fastpath import main

main()
