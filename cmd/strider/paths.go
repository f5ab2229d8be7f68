package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/rules"
)

type pathsFlags struct {
	treeFlags
	format string
}

func newPathsCmd() *cobra.Command {
	var f pathsFlags
	cmd := &cobra.Command{
		Use:   "paths [PATH...]",
		Short: "Print attack paths from entry points to administrator rights and data stores",
		Long: `Paths reads PATH (default ".") as scan does and prints every attack path Strider finds:
from an entry point (the internet through an instance that answers IMDSv1, a leaked
access key, another account or an OIDC identity through a role's trust) to a principal
with administrator rights, or from the internet, another account or an OIDC identity
to a data store (S3 objects, a DynamoDB table, a secret, a KMS key, a trail's logging),
one step a line with the file and line that make the step possible and its ATT&CK
technique. Paths to administrators come first, then the shortest; at most three are
kept per target. These are the findings of rule SDR-PATH-001 (attack-path).

Exit codes: 0 no path; 1 at least one path; 2 some input could not be read or parsed
(paths through everything else are still printed).`,
		Example: `  strider paths examples
  strider paths --format json infra/ | jq '.paths[].steps[].address'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runPaths(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	f.treeFlags.register(fl)
	return cmd
}

func runPaths(cmd *cobra.Command, args []string, f pathsFlags) error {
	switch f.format {
	case "text", "json":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want text or json)", f.format))
	}
	t, err := readTree(cmd, args, f.treeFlags, treeOptions{rules: []*rules.Rule{&rules.AttackPath}})
	if err != nil {
		return err
	}
	defer t.Close()
	failed := t.failed
	var paths []rules.Finding
	for _, fd := range t.unsuppressed() {
		if len(fd.Path) > 0 {
			paths = append(paths, fd)
		}
	}
	// Findings come sorted by place; paths read best with the most severe
	// shortest first.
	slices.SortStableFunc(paths, func(a, b rules.Finding) int {
		if c := cmp.Compare(b.EffectiveSeverity(), a.EffectiveSeverity()); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.Path), len(b.Path)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Resource.Addr.Key(), b.Resource.Addr.Key()); c != 0 {
			return c
		}
		return cmp.Compare(a.Peer, b.Peer)
	})
	if f.format == "json" {
		err = writePathsJSON(cmd.OutOrStdout(), paths)
	} else {
		err = writePathsText(cmd.OutOrStdout(), paths)
	}
	switch {
	case err != nil:
		return err
	case failed:
		return exitCode(exitError)
	case len(paths) > 0:
		return exitCode(exitFindings)
	}
	return nil
}

func writePathsText(w io.Writer, paths []rules.Finding) error {
	var b strings.Builder
	if len(paths) == 0 {
		b.WriteString("No attack path.\n")
	}
	for i, p := range paths {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "Path %d (%s), from %s\n", i+1, p.EffectiveSeverity(), p.Resource.Addr)
		for j, st := range p.Path {
			fmt.Fprintf(&b, "  %d. [%s] %s %s\n     %s\n", j+1, st.Technique, st.Range, st.Address, st.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type pathsJSON struct {
	Paths []pathJSON `json:"paths"`
}

type pathJSON struct {
	Severity string         `json:"severity"`
	Start    string         `json:"start"`
	Message  string         `json:"message"`
	Steps    []pathStepJSON `json:"steps"`
}

type pathStepJSON struct {
	Address   string `json:"address"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Technique string `json:"technique"`
	Message   string `json:"message"`
}

func writePathsJSON(w io.Writer, paths []rules.Finding) error {
	out := pathsJSON{Paths: []pathJSON{}}
	for _, p := range paths {
		pj := pathJSON{Severity: p.EffectiveSeverity().String(), Start: p.Resource.Addr.String(), Message: p.Message}
		for _, st := range p.Path {
			pj.Steps = append(pj.Steps, pathStepJSON{Address: st.Address, File: st.Range.Filename, Line: int(st.Range.Start.Line),
				Column: int(st.Range.Start.Column), Technique: st.Technique, Message: st.Message})
		}
		out.Paths = append(out.Paths, pj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
