package report

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

// helpText is a rule's help for viewers that cannot render Markdown:
// why it matters, what to do, the corrected examples indented as code,
// the threat classification and the references.
func helpText(r *rules.Rule) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(r.Rationale))
	b.WriteString("\n\nRemediation: ")
	b.WriteString(strings.TrimSpace(r.Remediation))
	b.WriteString("\n")
	writeTextExample(&b, "Terraform", r.FixTerraform)
	writeTextExample(&b, "CloudFormation", r.FixCloudFormation)
	b.WriteString("\nSTRIDE: ")
	b.WriteString(strings.Join(strideNames(r), ", "))
	b.WriteString("\nMITRE ATT&CK: ")
	for i, t := range techniques(r) {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(techniqueLabel(t))
		b.WriteString(" (" + t.URL() + ")")
	}
	b.WriteString("\n")
	if len(r.References) > 0 {
		b.WriteString("\nReferences:\n")
		for _, ref := range r.References {
			b.WriteString("- " + ref + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeTextExample(b *strings.Builder, name, code string) {
	code = strings.Trim(code, "\n")
	if strings.TrimSpace(code) == "" {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", name)
	for line := range strings.SplitSeq(code, "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString("    " + line + "\n")
	}
}

// helpMarkdown is the rule's help as GitHub shows it under an alert
// (instead of help.text when present). GitHub ignores SARIF taxonomies,
// so STRIDE and ATT&CK go here, with links to attack.mitre.org.
func helpMarkdown(r *rules.Rule) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(r.Rationale))
	b.WriteString("\n\n## Remediation\n\n")
	b.WriteString(strings.TrimSpace(r.Remediation))
	b.WriteString("\n")
	writeMarkdownExample(&b, "Terraform", "hcl", r.FixTerraform)
	lang := "yaml"
	if strings.HasPrefix(strings.TrimSpace(r.FixCloudFormation), "{") {
		lang = "json"
	}
	writeMarkdownExample(&b, "CloudFormation", lang, r.FixCloudFormation)

	b.WriteString("\n## Threat classification\n\n")
	b.WriteString("- **STRIDE:** ")
	for i, s := range r.STRIDE {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.String())
		if v := s.Violates(); v != "" {
			b.WriteString(" (violates " + strings.ToLower(v) + ")")
		}
	}
	b.WriteString("\n- **MITRE ATT&CK:**")
	for _, t := range techniques(r) {
		fmt.Fprintf(&b, "\n  - [%s](%s)", markdownEscape(techniqueLabel(t)), t.URL())
		if tactics := tacticNames(t); tactics != "" {
			b.WriteString(" — " + tactics)
		}
	}
	fmt.Fprintf(&b, "\n\nATT&CK %s.\n", mappings.ATTACKVersion)
	if len(r.References) > 0 {
		b.WriteString("\n## References\n\n")
		for _, ref := range r.References {
			b.WriteString("- <" + ref + ">\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeMarkdownExample(b *strings.Builder, name, lang, code string) {
	code = strings.Trim(code, "\n")
	if strings.TrimSpace(code) == "" {
		return
	}
	fence := CodeFence(code)
	fmt.Fprintf(b, "\n### %s\n\n%s%s\n%s\n%s\n", name, fence, lang, code, fence)
}

// CodeFence is a backtick fence longer than any run of backticks in code,
// so that an example containing ``` cannot close its own block.
func CodeFence(code string) string {
	longest, run := 0, 0
	for _, c := range code {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// techniqueLabel is "T1552.005 Cloud Instance Metadata API", or the ID
// alone when the embedded data does not know it.
func techniqueLabel(t mappings.Technique) string {
	if t.Name == "" {
		return t.ID
	}
	return t.ID + " " + t.Name
}

// tacticNames are the technique's tactics by display name.
func tacticNames(t mappings.Technique) string {
	names := make([]string, 0, len(t.Tactics))
	for _, short := range t.Tactics {
		if tc, ok := mappings.LookupTactic(short); ok {
			names = append(names, tc.Name)
		} else {
			names = append(names, short)
		}
	}
	return strings.Join(names, ", ")
}

// markdownEscape keeps link text from closing its brackets early.
func markdownEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// RuleHelpMarkdown is a rule's help in Markdown, exactly as SARIF carries
// it in help.markdown: rationale, remediation with corrected Terraform and
// CloudFormation, STRIDE and ATT&CK, references. The rule docs and
// `strider explain` reuse it so that the three never drift apart.
func RuleHelpMarkdown(r *rules.Rule) string { return helpMarkdown(r) }
