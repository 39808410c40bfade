from probe.entry import main

main()
