from window_desk.cli import main

raise SystemExit(main())
