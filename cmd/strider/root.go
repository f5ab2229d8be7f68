package main

import (
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is stamped by the release build (-ldflags "-X main.version=…").
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
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
	root.AddCommand(newScanCmd(), newRulesCmd(), newExplainCmd(), newVersionCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Strider's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.Printf("strider %s\n", toolVersion())
			return nil
		},
	}
}
