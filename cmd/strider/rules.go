package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
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
			}
			return usageError(cmd, fmt.Errorf("unknown --format %q (want table or json)", format))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

func strideLetters(cs []mappings.STRIDE) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.Letter())
	}
	return b.String()
}
