package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
)

// noRules is an empty, non-nil rule list: scan.Run runs all rules on nil.
var noRules = []*rules.Rule{}

type graphFlags struct {
	treeFlags
	format string
	output string
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
	f.treeFlags.register(fl)
	return cmd
}

func runGraph(cmd *cobra.Command, args []string, f graphFlags) error {
	switch f.format {
	case "json", "dot":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want json or dot)", f.format))
	}
	// The graph is the rules' input; running none keeps this command a
	// view of what was understood.
	t, err := readTree(cmd, args, f.treeFlags, treeOptions{rules: noRules})
	if err != nil {
		return err
	}
	defer t.Close()
	res := t.res
	buf := newReportOutput(cmd, f.output)
	if f.format == "dot" {
		err = report.WriteGraphDOT(buf, res.Graph)
	} else {
		err = report.WriteGraphJSON(buf, res.Graph, res.Diagnostics)
	}
	return t.finish(buf, err)
}
