package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Edge kinds of the network pass.
const (
	// MemberOf: a standalone security group rule belongs to a group.
	MemberOf EdgeKind = "member-of"
	// Captures: a flow log records the traffic of a VPC.
	Captures EdgeKind = "captures"
	// Locks: a vault lock configuration protects a backup vault.
	Locks EdgeKind = "locks"
	// GuardedBy: an instance is in a security group.
	GuardedBy EdgeKind = "guarded-by"
	// DeliversTo: a trail writes its logs to a bucket.
	DeliversTo EdgeKind = "delivers-to"
	// Invokes: a function URL or API integration invokes a function.
	Invokes EdgeKind = "invokes"
)

// networkPass merges standalone security group rules into the groups they
// name, so that a rule reading a group sees all of its ingress however it
// was written. A rule whose group is outside the scanned tree (an ID, a
// data source, a variable) stays on its own.
func networkPass(g *Graph, _ []*Resource) Diagnostics {
	for _, r := range g.Resources {
		sr := r.Facets.SecurityGroupRule()
		if sr == nil || sr.Group == nil {
			continue
		}
		for _, t := range g.Resolve(r, sr.Group.Target) {
			if t.Facets.SecurityGroup() != nil {
				sr.Resolved = t
				t.Facets.SecurityGroup().Ingress = append(t.Facets.SecurityGroup().Ingress, sr.Rule)
				g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: MemberOf, Range: sr.Group.Range})
				break
			}
		}
	}
	for _, r := range g.Resources {
		fl := r.Facets.FlowLog()
		if fl == nil {
			continue
		}
		for _, ref := range fl.Targets {
			for _, t := range g.Resolve(r, ref.Target) {
				if v := t.Facets.VPC(); v != nil && !slices.Contains(v.FlowLogs, r) {
					v.FlowLogs = append(v.FlowLogs, r)
					g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: Captures, Range: ref.Range})
				}
			}
		}
	}
	linkVaultLocks(g)
	linkInstances(g)
	linkTrailBuckets(g)
	linkLambdaFronts(g)
	linkLaunchGroups(g)
	linkStageSettings(g)
	return nil
}

// linkStageSettings attaches separate method settings to their stage.
func linkStageSettings(g *Graph) {
	for _, r := range g.Resources {
		ms := r.Facets.APIMethodSettings()
		if ms == nil || ms.Stage == nil {
			continue
		}
		for _, t := range g.Resolve(r, ms.Stage.Target) {
			if st := t.Facets.APIStage(); st != nil {
				st.Settings = append(st.Settings, r)
				break
			}
		}
	}
}

// linkLaunchGroups resolves the launch template of each group that
// launches instances, the way the IMDS pass resolves instances'.
func linkLaunchGroups(g *Graph) {
	byName := map[string][]*Resource{}
	for _, r := range g.Resources {
		if m := r.Facets.IMDS(); m != nil && m.TemplateName.State == Set {
			byName[m.TemplateName.V] = append(byName[m.TemplateName.V], r)
		}
	}
	for _, r := range g.Resources {
		lg := r.Facets.LaunchGroup()
		if lg == nil || lg.Template == nil {
			continue
		}
		if t := resolveTemplate(g, r, lg.Template, byName); t != nil {
			lg.Template.Resolved = t
			g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: LaunchesFrom, Range: lg.Template.Range})
		}
	}
}

// LaunchedBy returns the launch groups in g that launch from template t,
// in address order. The slice belongs to the graph.
func (g *Graph) LaunchedBy(t *Resource) []*Resource {
	return g.launchedBy[t]
}

// indexLaunches fills what LaunchedBy answers from the sorted edges: one
// pass instead of one per template asked about.
func (g *Graph) indexLaunches() {
	g.launchedBy = map[*Resource][]*Resource{}
	for _, e := range g.Edges {
		if e.Kind == LaunchesFrom && e.From.Facets.LaunchGroup() != nil {
			g.launchedBy[e.To] = append(g.launchedBy[e.To], e.From)
		}
	}
}

// linkLambdaFronts records on each function the function URLs and API
// Gateway integrations that invoke it.
func linkLambdaFronts(g *Graph) {
	for _, r := range g.Resources {
		f := r.Facets.LambdaFront()
		if f == nil || f.Function == nil {
			continue
		}
		for _, t := range g.Resolve(r, f.Function.Target) {
			if fn := t.Facets.LambdaFunction(); fn != nil {
				fn.Fronts = append(fn.Fronts, r)
				g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: Invokes, Range: f.Function.Range})
				break
			}
		}
	}
}

// linkTrailBuckets folds separate versioning and Object Lock resources
// into their buckets, then links trails to the buckets they write to.
func linkTrailBuckets(g *Graph) {
	isBucket := func(t *Resource) bool { return t.Type() == "aws_s3_bucket" || t.Type() == "AWS::S3::Bucket" }
	for _, r := range g.Resources {
		p := r.Facets.BucketProtection()
		if p == nil || p.Bucket == nil {
			continue
		}
		for _, t := range g.Resolve(r, p.Bucket.Target) {
			if !isBucket(t) {
				continue
			}
			bp := t.Facets.BucketProtection()
			if bp == nil {
				bp = &BucketProtection{}
				t.Facets.SetBucketProtection(bp)
			}
			if p.Versioning.State != Absent {
				bp.Versioning = p.Versioning
			}
			if p.ObjectLock.State != Absent {
				bp.ObjectLock = p.ObjectLock
			}
		}
	}
	for _, r := range g.Resources {
		tb := r.Facets.TrailBucket()
		if tb == nil || tb.Bucket == nil {
			continue
		}
		for _, t := range g.Resolve(r, tb.Bucket.Target) {
			if isBucket(t) {
				tb.Resolved = t
				g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: DeliversTo, Range: tb.Bucket.Range})
				break
			}
		}
	}
}

// linkInstances resolves each instance's subnet and security groups.
func linkInstances(g *Graph) {
	for _, r := range g.Resources {
		n := r.Facets.InstanceNetwork()
		if n == nil {
			continue
		}
		if n.Subnet != nil {
			for _, t := range g.Resolve(r, n.Subnet.Target) {
				if t.Facets.Subnet() != nil {
					n.SubnetResolved = t
					break
				}
			}
		}
		for _, ref := range n.SecurityGroups {
			for _, t := range g.Resolve(r, ref.Target) {
				if t.Facets.SecurityGroup() != nil && !slices.Contains(n.Groups, t) {
					n.Groups = append(n.Groups, t)
					g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: GuardedBy, Range: ref.Range})
				}
			}
		}
	}
}

// linkVaultLocks attaches separate vault lock resources to the vault they
// name, by reference or, failing that, by a unique vault name.
func linkVaultLocks(g *Graph) {
	byName := map[string][]*Resource{}
	for _, r := range g.Resources {
		if v := r.Facets.BackupVault(); v != nil && v.Name.State == Set {
			byName[v.Name.V] = append(byName[v.Name.V], r)
		}
	}
	for _, r := range g.Resources {
		l := r.Facets.VaultLock()
		if l == nil {
			continue
		}
		var vault *Resource
		if l.Vault != nil {
			for _, t := range g.Resolve(r, l.Vault.Target) {
				if t.Facets.BackupVault() != nil {
					vault = t
				}
			}
		}
		if vault == nil && l.VaultName.State == Set && len(byName[l.VaultName.V]) == 1 {
			vault = byName[l.VaultName.V][0]
		}
		if vault != nil {
			vault.Facets.BackupVault().Locks = append(vault.Facets.BackupVault().Locks, r)
			g.Edges = append(g.Edges, Edge{From: r, To: vault, Kind: Locks, Range: r.Range})
		}
	}
}

func dumpSecurityGroup(b *strings.Builder, r *Resource, sg *SecurityGroup) {
	for _, in := range sg.Ingress {
		fmt.Fprintf(b, "  ingress protocol=%s ports=%s-%s cidrs=", dumpValue(in.Protocol), dumpValue(in.FromPort), dumpValue(in.ToPort))
		if !in.CIDRsKnown {
			b.WriteString("(unknown)")
		}
		for i, c := range in.CIDRs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(dumpValue(c))
		}
		if in.Declared != nil && in.Declared != r {
			fmt.Fprintf(b, " from=%s", in.Declared.Key())
		}
		b.WriteByte('\n')
	}
}
