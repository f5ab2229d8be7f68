package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"github.com/strider-sec/strider/threatmodel"
)

type modelFlags struct {
	format   string
	output   string
	title    string
	vars     []string
	varFiles []string
	config   string
	repoRoot string
	verbose  bool
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
	fl.StringArrayVar(&f.vars, "var", nil, "set a Terraform root variable, NAME=VALUE (repeatable; wins over files)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "read Terraform root variables from this file, after the automatic ones (repeatable)")
	fl.StringVar(&f.config, "config", "", "config file (default: "+configName+" at the repository root, if present)")
	fl.StringVar(&f.repoRoot, "repo-root", "", "directory file names are relative to (default: the enclosing git repository, else the current directory)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print warnings on standard error")
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
	vars, err := parseVars(f.vars)
	if err != nil {
		return usageError(cmd, err)
	}
	root, err := repoRootFor(args, f.repoRoot)
	if err != nil {
		return err
	}
	cfg := &config{}
	if p := findConfig(f.config, root, args); p != "" {
		if cfg, err = loadConfig(p, root); err != nil {
			return usageError(cmd, err)
		}
	}
	selected, err := cfg.selectRules(rules.All())
	if err != nil {
		return usageError(cmd, err)
	}
	res, err := scan.Run(cmd.Context(), scan.Options{Paths: args, BaseDir: root, Rules: selected, Vars: vars, VarFiles: f.varFiles,
		Accounts: cfg.conventions(root)})
	if err != nil {
		return err
	}
	rootFS, err := os.OpenRoot(res.BaseDir)
	if err != nil {
		return err
	}
	defer rootFS.Close()
	post := postprocess(res, postOptions{fsys: rootFS.FS(), config: cfg, today: time.Now().UTC()})
	failed := printProblems(cmd, res, f.verbose)
	var findings []rules.Finding
	for i, fd := range post.findings {
		if len(post.states[i].Suppressions) == 0 {
			findings = append(findings, fd)
		}
	}

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
	var buf bytes.Buffer
	switch f.format {
	case "otm":
		err = report.WriteOTM(&buf, m)
	case "threatdragon":
		err = report.WriteThreatDragon(&buf, m)
	case "mermaid":
		err = report.WriteMermaid(&buf, m)
	case "dot":
		err = report.WriteModelDOT(&buf, m)
	case "json":
		err = report.WriteModelJSON(&buf, m)
	default:
		err = report.WriteModelMarkdown(&buf, m, report.ModelMarkdownOptions{LinkBase: githubBlobBase()})
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
