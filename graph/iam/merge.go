package iam

// Merge combines documents as the Terraform AWS provider's
// aws_iam_policy_document does with source_policy_documents and
// override_policy_documents: the statements of the sources in order, then
// the document's own statements, each replacing a statement with the same
// non-empty Sid or else appended, then the overrides in the same way.
// Version is the own document's. The result is unknown in part when any
// input is.
func Merge(sources []*Document, own *Document, overrides []*Document) *Document {
	out := &Document{Version: own.Version}
	add := func(d *Document, replace bool) {
		out.Unknown = out.Unknown || d.Unknown
		for _, s := range d.Statements {
			if replace && s.Sid != "" {
				if i := indexSid(out.Statements, s.Sid); i >= 0 {
					out.Statements[i] = s
					continue
				}
			}
			out.Statements = append(out.Statements, s)
		}
	}
	for _, d := range sources {
		add(d, false)
	}
	add(own, true)
	for _, d := range overrides {
		add(d, true)
	}
	for i := range out.Statements {
		out.Statements[i].Index = i
	}
	return out
}

func indexSid(ss []Statement, sid string) int {
	for i := range ss {
		if ss[i].Sid == sid {
			return i
		}
	}
	return -1
}
