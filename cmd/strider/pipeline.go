package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// treeFlags are the flags of every command that reads a tree as scan
// does, so that scan, graph, model, paths and audit see the same code the
// same way: the same variables, configuration and file names.
type treeFlags struct {
	vars     []string
	varFiles []string
	config   string
	repoRoot string
	verbose  bool
}

func (f *treeFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&f.vars, "var", nil, "set a Terraform root variable, NAME=VALUE (repeatable; wins over files)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "read Terraform root variables from this file, after the automatic ones (repeatable)")
	fl.StringVar(&f.config, "config", "", "config file (default: "+configName+" in the one directory named, else at the repository root, if present)")
	fl.StringVar(&f.repoRoot, "repo-root", "", "directory file names are relative to (default: the enclosing git repository, else the current directory)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print warnings and progress on standard error")
}

// treeOptions are what one command adds to reading the tree.
type treeOptions struct {
	// rules narrows the configuration's selection to these; nil keeps
	// it, an empty list runs none.
	rules []*rules.Rule
	// source, baseline and changedOnly are scan's --source, --baseline
	// and --changed-only.
	source      string
	baseline    baseline
	changedOnly bool
	// progress is called as roots are read (audit's progress bar).
	progress func(done, total int)
}

// tree is a scanned tree after the configuration's steps (excluded
// paths, suppressions, baseline).
type tree struct {
	res  *scan.Result
	cfg  *config
	root *os.Root
	post post
	// failed: some input could not be read or parsed; the command still
	// writes its output and then exits 2.
	failed bool
}

// Close releases the scan root.
func (t *tree) Close() error { return t.root.Close() }

// unsuppressed are the findings no suppression covers: risks someone
// accepted are not threats of the model, the audit or the paths.
func (t *tree) unsuppressed() []rules.Finding {
	var out []rules.Finding
	for i, fd := range t.post.findings {
		if len(t.post.states[i].Suppressions) == 0 {
			out = append(out, fd)
		}
	}
	return out
}

// readTree parses the variables, finds the repository root and the
// configuration, scans args and applies the configuration. Usage errors
// come back as exit code 2 with the usage printed.
func readTree(cmd *cobra.Command, args []string, f treeFlags, o treeOptions) (*tree, error) {
	vars, err := parseVars(f.vars)
	if err != nil {
		return nil, usageError(cmd, err)
	}
	root, err := repoRootFor(args, f.repoRoot)
	if err != nil {
		return nil, err
	}
	cfg := &config{}
	if p := findConfig(f.config, root, args); p != "" {
		if cfg, err = loadConfig(p, root); err != nil {
			return nil, usageError(cmd, err)
		}
	}
	selected, err := cfg.selectRules(rules.All())
	if err != nil {
		return nil, usageError(cmd, err)
	}
	if o.rules != nil {
		selected = intersectRules(selected, o.rules)
	}
	res, err := scan.Run(cmd.Context(), scan.Options{Paths: args, BaseDir: root, Rules: selected, Vars: vars, VarFiles: f.varFiles,
		Source: o.source, Accounts: cfg.conventions(root), AccountIDs: cfg.accountIDs(), Progress: o.progress})
	if err != nil {
		return nil, err
	}
	rootFS, err := os.OpenRoot(res.BaseDir)
	if err != nil {
		return nil, err
	}
	t := &tree{res: res, cfg: cfg, root: rootFS}
	t.post = postprocess(res, postOptions{
		fsys:        rootFS.FS(),
		config:      cfg,
		baseline:    o.baseline,
		changedOnly: o.changedOnly,
		today:       time.Now().UTC(),
	})
	t.failed = printProblems(cmd, res, f.verbose)
	return t, nil
}

// finish writes a command's rendered output, unless rendering failed, and
// exits 2 after it when some input could not be read.
func (t *tree) finish(out *reportOutput, renderErr error) error {
	if err := out.close(renderErr); err != nil {
		return err
	}
	if t.failed {
		return exitCode(exitError)
	}
	return nil
}

// intersectRules keeps the rules of want that the configuration selected,
// as a non-nil list: scan.Run runs every rule on nil.
func intersectRules(selected, want []*rules.Rule) []*rules.Rule {
	out := []*rules.Rule{}
	for _, w := range want {
		for _, s := range selected {
			if s.ID == w.ID {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
