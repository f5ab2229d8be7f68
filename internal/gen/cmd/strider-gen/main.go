// Command strider-gen writes a synthetic AWS landing zone for measuring
// Strider: go run ./internal/gen/cmd/strider-gen -accounts 20 -per-account 500 -o /tmp/lz
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/strider-sec/strider/internal/gen"
)

func main() {
	cfg := gen.Config{}
	flag.IntVar(&cfg.Accounts, "accounts", 20, "number of member accounts")
	flag.IntVar(&cfg.ResourcesPerAccount, "per-account", 500, "resource instances per account (Terraform and CloudFormation together)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the random choices")
	out := flag.String("o", "", "directory to write the tree into (required; created if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: strider-gen -o DIR [-accounts N] [-per-account M] [-seed S]")
		os.Exit(2)
	}
	t := gen.Generate(cfg)
	if err := t.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "strider-gen:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files, %d bytes, %d resources in %s\n", len(t.Files), t.Bytes(), t.Resources, *out)
}
