from mtqa.cli import main

raise SystemExit(main())
