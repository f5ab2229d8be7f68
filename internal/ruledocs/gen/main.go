// Command gen writes docs/rules/ from the rule registry and the rules'
// fixtures. Run it through `go generate ./internal/ruledocs`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strider-sec/strider/internal/ruledocs"
	"github.com/strider-sec/strider/rules"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := write(*root); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(root string) error {
	files, err := ruledocs.Generate(rules.All(), os.DirFS(filepath.Join(root, "rules", "testdata")))
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "docs", "rules")
	// Start from an empty directory so that a removed rule loses its page.
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
