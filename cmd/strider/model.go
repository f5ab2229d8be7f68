package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/threatmodel"
)

type modelFlags struct {
	treeFlags
	format string
	output string
	title  string
}

var modelFormats = []string{"markdown", "otm", "threatdragon", "mermaid", "dot", "json"}

func newModelCmd() *cobra.Command {
	var f modelFlags
	cmd := &cobra.Command{
		Use:   "model [PATH...]",
		Short: "Write the threat model inferred from the code: trust zones, data flows and threats",
		Long: `Model reads PATH (default ".") as scan does, infers the trust zones (the internet, the
organization and its OUs, accounts, VPCs, public and private subnets, security groups),
classifies every resource as an external entity, process or data store, finds the data
flows between them and the boundaries each crosses, and lists the threats: STRIDE per
element and per boundary-crossing flow, and the findings of the rules with their
mitigations. Suppressed findings and excluded paths of the config file are left out.

Formats: markdown (a document to commit next to the code, with a Mermaid diagram),
otm (Open Threat Model 0.2.0), threatdragon (OWASP Threat Dragon v2), mermaid, dot
(Graphviz) and json.

Exit codes: 0 the model was built from every input; 2 some input could not be read or
parsed (the model of everything else is still written).`,
		Example: `  strider model --format markdown --output THREATMODEL.md .
  strider model --format threatdragon --output model.json infra/
  strider model --format dot . | dot -Tsvg > model.svg`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runModel(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "markdown", "output format: markdown, otm, threatdragon, mermaid, dot or json")
	fl.StringVarP(&f.output, "output", "o", "", "write the model to this file instead of standard output")
	fl.StringVar(&f.title, "title", "", "title of the model (default: the name of the first path)")
	f.treeFlags.register(fl)
	return cmd
}

func runModel(cmd *cobra.Command, args []string, f modelFlags) error {
	known := false
	for _, v := range modelFormats {
		known = known || v == f.format
	}
	if !known {
		return usageError(cmd, fmt.Errorf("unknown --format %q (want markdown, otm, threatdragon, mermaid, dot or json)", f.format))
	}
	t, err := readTree(cmd, args, f.treeFlags, treeOptions{})
	if err != nil {
		return err
	}
	defer t.Close()
	res, findings := t.res, t.unsuppressed()

	title := f.title
	if title == "" {
		first := "."
		if len(args) > 0 {
			first = args[0]
		}
		if abs, err := filepath.Abs(first); err == nil {
			title = filepath.Base(abs)
		}
	}
	m := threatmodel.Build(res.Graph, findings, threatmodel.Options{Title: title, Sources: res.Inputs})
	if f.verbose {
		for _, d := range res.Graph.OmittedFlows() {
			fmt.Fprintln(cmd.ErrOrStderr(), d)
		}
	}
	// The model holds what its writers read: the graph's indexes, flows
	// and principals can go before the document is written.
	res.Graph = nil
	buf := newReportOutput(cmd, f.output)
	switch f.format {
	case "otm":
		err = report.WriteOTM(buf, m)
	case "threatdragon":
		err = report.WriteThreatDragon(buf, m)
	case "mermaid":
		err = report.WriteMermaid(buf, m)
	case "dot":
		err = report.WriteModelDOT(buf, m)
	case "json":
		err = report.WriteModelJSON(buf, m)
	default:
		err = report.WriteModelMarkdown(buf, m, report.ModelMarkdownOptions{LinkBase: githubBlobBase()})
	}
	return t.finish(buf, err)
}
