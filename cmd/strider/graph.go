package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// noRules is an empty, non-nil rule list: scan.Run runs all rules on nil.
var noRules = []*rules.Rule{}

type graphFlags struct {
	format   string
	output   string
	vars     []string
	varFiles []string
	verbose  bool
}

func newGraphCmd() *cobra.Command {
	var f graphFlags
	cmd := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Print the evaluated resource graph as JSON or Graphviz DOT",
		Long: `Graph reads PATH (default ".") as scan does and prints what Strider understood: every
resource instance with the address Terraform would print, its file and line, provider,
region and account when known, and every edge between resources with the range that
makes it. No rule runs.

Exit codes: 0 the graph was built from every input; 2 some input could not be read or
parsed (the graph of everything else is still printed).`,
		Example: `  strider graph examples/terraform
  strider graph --format dot . | dot -Tsvg > graph.svg`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runGraph(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "json", "output format: json or dot")
	fl.StringVarP(&f.output, "output", "o", "", "write the graph to this file instead of standard output")
	fl.StringArrayVar(&f.vars, "var", nil, "set a Terraform root variable, NAME=VALUE (repeatable; wins over files)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "read Terraform root variables from this file, after the automatic ones (repeatable)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print warnings on standard error")
	return cmd
}

func runGraph(cmd *cobra.Command, args []string, f graphFlags) error {
	switch f.format {
	case "json", "dot":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want json or dot)", f.format))
	}
	vars, err := parseVars(f.vars)
	if err != nil {
		return usageError(cmd, err)
	}
	// The graph is the rules' input; running none keeps this command a
	// view of what was understood.
	res, err := scan.Run(cmd.Context(), scan.Options{Paths: args, Vars: vars, VarFiles: f.varFiles, Rules: noRules})
	if err != nil {
		return err
	}
	failed := printProblems(cmd, res, f.verbose)
	var buf bytes.Buffer
	if f.format == "dot" {
		err = report.WriteGraphDOT(&buf, res.Graph)
	} else {
		err = report.WriteGraphJSON(&buf, res.Graph, res.Diagnostics)
	}
	if err != nil {
		return err
	}
	if f.output == "" {
		if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := os.WriteFile(f.output, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if failed {
		return exitCode(exitError)
	}
	return nil
}
