package bench

import "os"

func tempDir() (string, error) { return os.MkdirTemp("", "butler-bench-data") }
