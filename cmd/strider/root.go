package main

import (
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version, commit and date are stamped by the release build
// (-ldflags "-X main.version=… -X main.commit=… -X main.date=…", see
// .goreleaser.yaml); a plain go build falls back to the build info.
var version, commit, date = "", "", ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// buildInfo is the version, the commit and the commit date of this
// binary: the stamped values, else what the Go toolchain recorded from
// version control (vcs.revision, vcs.time, vcs.modified), else "unknown".
func buildInfo() (ver, rev, when string) {
	ver, rev, when = toolVersion(), commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.time":
				if when == "" {
					when = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && commit == "" && rev != "" {
			rev += "-dirty"
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	if when == "" {
		when = "unknown"
	}
	return ver, rev, when
}

const informationURI = "https://github.com/strider-sec/strider"

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "strider",
		Short: "Threat-model infrastructure-as-code: Terraform, plans and CloudFormation to STRIDE and ATT&CK findings",
		Long: `Strider reads Terraform (HCL and plan JSON) and CloudFormation into one resource graph,
infers trust boundaries and runs cloud-aware rules. Findings are mapped to STRIDE and
MITRE ATT&CK and written as a table, JSON or SARIF 2.1.0 for GitHub code scanning.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		c.PrintErrln("strider:", err)
		c.PrintErrln(c.UsageString())
		return exitCode(exitError)
	})
	root.AddCommand(newScanCmd(), newAuditCmd(), newGraphCmd(), newModelCmd(), newPathsCmd(), newRulesCmd(), newExplainCmd(), newVersionCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Strider's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ver, rev, when := buildInfo()
			cmd.Printf("strider %s\ncommit: %s\ndate: %s\n", ver, rev, when)
			return nil
		},
	}
}
