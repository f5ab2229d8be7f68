package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/internal/ruledocs"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

func newRulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules with their severity, STRIDE categories and ATT&CK techniques",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all := rules.All()
			switch format {
			case "table":
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tSLUG\tSEVERITY\tSTRIDE\tATT&CK\tTITLE")
				for _, r := range all {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Slug, r.Severity,
						strideLetters(r.STRIDE), strings.Join(r.ATTACK, ","), r.Title)
				}
				return w.Flush()
			case "json":
				type rule struct {
					ID               string   `json:"id"`
					Slug             string   `json:"slug"`
					Title            string   `json:"title"`
					Severity         string   `json:"severity"`
					SecuritySeverity float64  `json:"security_severity"`
					STRIDE           []string `json:"stride"`
					ATTACK           []string `json:"attack"`
				}
				out := make([]rule, 0, len(all))
				for _, r := range all {
					var s []string
					for _, c := range r.STRIDE {
						s = append(s, c.String())
					}
					out = append(out, rule{r.ID, r.Slug, r.Title, r.Severity.String(), r.Score(), s, r.ATTACK})
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "markdown":
				_, err := cmd.OutOrStdout().Write(ruledocs.Index(all))
				return err
			}
			return usageError(cmd, fmt.Errorf("unknown --format %q (want table, json or markdown)", format))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json or markdown")
	return cmd
}

func strideLetters(cs []mappings.STRIDE) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.Letter())
	}
	return b.String()
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a rule: why it matters, how to fix it, in Terraform and CloudFormation",
		Long: `Explain prints a rule's documentation in Markdown: severity, STRIDE and ATT&CK,
rationale, remediation with corrected Terraform and CloudFormation, and references.
RULE is an ID (SDR-EC2-001), a slug (ec2-imdsv1-reachable) or a former slug, in any case.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := rules.Lookup(args[0])
			if !ok {
				return usageError(cmd, fmt.Errorf("no rule %q (strider rules lists them)", args[0]))
			}
			_, err := fmt.Fprint(cmd.OutOrStdout(), ruledocs.Explain(r))
			return err
		},
	}
}
