package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMPrivilegeEscalation reports each privilege-escalation technique an
// IAM user or role can perform, one finding per principal and technique.
// The techniques are data (iam.Techniques); the finding names the
// technique, its ATT&CK IDs and the statements that allow it.
var IAMPrivilegeEscalation = Rule{
	ID:        "SDR-IAM-020",
	Slug:      "iam-privilege-escalation",
	Title:     "IAM principal can escalate its privileges",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
	ATTACK:    techniqueAttackIDs(),
	Rationale: `Many IAM permissions are administrator rights in disguise. A principal that may attach or write ` +
		`policies on itself, create a new version of a policy it has, create credentials for another user, rewrite ` +
		`a role's trust, pass a privileged role to a service that runs its code (EC2, Lambda, Glue, CloudFormation, ` +
		`CodeBuild, SageMaker, ECS, Data Pipeline, App Runner), or run commands on an instance or function that has a ` +
		`role, gets the permissions of that policy, user or role. Strider evaluates the effective permissions of every ` +
		`user and role (identity policies through groups and attachments, the permissions boundary, the SCPs of its ` +
		`account, explicit denies and decidable conditions such as ` + "`iam:PassedToService`" + ` and MFA), and reports ` +
		`each technique whose actions are all allowed. Where the passed role or the target is in the scanned code, only ` +
		`targets that qualify count (a passed role must trust the service); where the policy reaches ` + "`*`" + ` or ARNs ` +
		`outside the code, the finding is kept at lower severity because any such resource in the account is reachable. ` +
		`Techniques are numbered PE-nn after the rows of the reference table (PMapper, Rhino Security Labs, ` +
		`pathfinding.cloud).`,
	Remediation: `Remove the action named in the finding, or narrow its Resource to the exact ARNs the principal ` +
		`needs. For ` + "`iam:PassRole`" + `, list the roles and add a condition on ` + "`iam:PassedToService`" + `. ` +
		`Put a permissions boundary on principals that administer IAM, so that the policies they write cannot exceed it, ` +
		`and deny IAM writes outside a delegated path with an SCP.`,
	FixTerraform: `resource "aws_iam_user_policy" "deploy" {
  user = aws_iam_user.deploy.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = aws_iam_role.app.arn
      Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    }]
  })
}`,
	FixCloudFormation: `DeployPolicy:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: deploy
    Users: [!Ref DeployUser]
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: !GetAtt AppRole.Arn
          Condition:
            StringEquals:
              iam:PassedToService: ecs-tasks.amazonaws.com`,
	References: []string{
		"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
		"https://github.com/nccgroup/PMapper",
		"https://pathfinding.cloud/",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
	},
	Check: checkIAMPrivilegeEscalation,
}

// techniqueAttackIDs is every ATT&CK technique of the escalation table,
// sorted: the rule's ATT&CK list stays in step with its data.
func techniqueAttackIDs() []string {
	var out []string
	for _, t := range iam.Techniques {
		out = append(out, t.ATTACK...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func checkIAMPrivilegeEscalation(pass *Pass) error {
	g := pass.Graph
	for _, p := range g.Principals() {
		if p.Kind == graph.PrincipalGroup || g.AdminDirect(p) {
			// Administrators already have every permission; the
			// administrator rules report them.
			continue
		}
		for _, e := range g.Escalations(p) {
			pass.Report(escalationFinding(g, p, e))
		}
	}
	return nil
}

// A finding names at most maxNamedTargets targets and Resource patterns
// in its message and carries at most maxRelated related locations: a
// principal allowed on every instance of a large tree reaches thousands,
// and listing them all makes one finding megabytes long. The message
// still counts them all.
const (
	maxNamedTargets = 5
	maxRelated      = 10
)

func escalationFinding(g *graph.Graph, p *graph.Principal, e *graph.Escalation) Finding {
	t := e.Technique
	var b strings.Builder
	fmt.Fprintf(&b, "%s can %s (%s, ATT&CK %s)", p.Resource.Addr, t.Name, t.ID, strings.Join(t.ATTACK, ", "))
	b.WriteString(": " + evidenceList(e.Evidence))
	sev := Medium
	var related []Related
	for _, ev := range e.Evidence[:min(len(e.Evidence), maxRelated)] {
		related = append(related, Related{Range: ev.Range, Address: ev.Grant.From.Addr.String(),
			Message: fmt.Sprintf("%s allows %s", graph.StatementLabel(ev.Statement), ev.Action)})
	}
	if len(e.Targets) > 0 {
		sev = High
		type named struct {
			tg    graph.EscalationTarget
			admin bool
		}
		ts := make([]named, len(e.Targets))
		admins := 0
		for i, tg := range e.Targets {
			admin := tg.Becomes != nil && g.AdminEquivalent(tg.Becomes)
			if admin {
				sev = Critical
				admins++
			}
			ts[i] = named{tg, admin}
		}
		if len(ts) > maxNamedTargets {
			// Only some can be named: administrators first, as they
			// decide the severity, then the graph's order.
			slices.SortStableFunc(ts, func(x, y named) int {
				switch {
				case x.admin == y.admin:
					return 0
				case x.admin:
					return -1
				}
				return 1
			})
		}
		// Names are made for the targets the message shows only: there
		// may be thousands.
		names := make([]string, 0, maxNamedTargets)
		for _, nt := range ts[:min(len(ts), maxNamedTargets)] {
			tg := nt.tg
			n := tg.Resource.Addr.String()
			switch {
			case tg.Self && tg.Resource == p.Resource:
				n = "itself"
			case tg.Self:
				n += " (its own)"
			case tg.Becomes != nil && tg.Becomes.Resource != tg.Resource:
				n += " (role " + tg.Becomes.Resource.Addr.String() + ")"
			}
			if nt.admin {
				n += ", an administrator"
			}
			names = append(names, n)
		}
		for _, nt := range ts {
			if len(related) >= maxRelated {
				break
			}
			if nt.tg.Resource != p.Resource {
				related = append(related, Related{Range: nt.tg.Resource.Range, Address: nt.tg.Resource.Addr.String(), Message: "target of " + t.ID})
			}
		}
		b.WriteString("; it reaches " + strings.Join(names, ", "))
		if len(ts) > maxNamedTargets {
			fmt.Fprintf(&b, " and %d more", len(ts)-maxNamedTargets)
		}
		if len(ts) > maxNamedTargets {
			fmt.Fprintf(&b, " (%d targets", len(ts))
			if admins > 0 {
				fmt.Fprintf(&b, ", %d of them administrators", admins)
			}
			b.WriteString(")")
		}
		if t.Target == iam.TargetPassRole {
			fmt.Fprintf(&b, " (roles that trust %s)", t.Service)
		}
	}
	if e.Admin {
		sev = Critical
		b.WriteString("; on itself this grants any permission")
	}
	if len(e.Wild) > 0 {
		fmt.Fprintf(&b, "; Resource %s reaches %s the scanned code does not show, and any such %s in the account is reachable",
			someOf(quoted(e.Wild), maxNamedTargets), targetNoun(t), targetNoun(t))
		if len(e.Targets) == 0 {
			b.WriteString(" (lower severity: the target is not in the code)")
		}
	}
	if len(p.Incomplete) > 0 {
		fmt.Fprintf(&b, "; not every policy could be read (%s)", p.Incomplete[0])
	}
	return Finding{Resource: p.Resource, Range: p.Resource.Range, Message: b.String(), Severity: sev, Related: related, Peer: t.ID,
		ATTACK: slices.Clone(t.ATTACK)}
}

// evidenceList names the statements that allow each action: the first
// maxNamedTargets, then how many more (a statement per target, when a
// policy names its roles one by one, makes as many as there are
// targets).
func evidenceList(es []graph.Evidence) string {
	n := min(len(es), maxNamedTargets)
	parts := make([]string, n)
	for i, e := range es[:n] {
		parts[i] = fmt.Sprintf("%s is allowed by %s of %s", e.Action, graph.StatementLabel(e.Statement), e.Grant.Name())
	}
	out := strings.Join(parts, "; ")
	if len(es) > n {
		out += fmt.Sprintf("; and by %d more statements", len(es)-n)
	}
	return out
}

// targetNoun names what a technique's wildcard reaches.
func targetNoun(t *iam.Technique) string {
	switch t.Target {
	case iam.TargetPassRole:
		return "role that trusts " + t.Service
	case iam.TargetUser:
		return "user"
	case iam.TargetGroup:
		return "group"
	case iam.TargetRole:
		return "role"
	case iam.TargetPolicy:
		return "managed policy"
	case iam.TargetInstance:
		return "instance with a role"
	case iam.TargetFunction:
		return "function with a role"
	}
	return "resource with a service role"
}
