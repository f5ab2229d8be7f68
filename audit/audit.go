package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// Account roles in a landing zone.
const (
	RoleManagement = "management"
	RoleLogArchive = "log-archive"
	RoleSecurity   = "security"
	RoleNetwork    = "network"
	RoleWorkload   = "workload"
)

// Roles are the account roles a declaration may name.
var Roles = []string{RoleManagement, RoleLogArchive, RoleSecurity, RoleNetwork, RoleWorkload}

// Declared is an account the user names (.strider.yaml accounts:), with
// an optional role.
type Declared struct {
	ID   string
	Name string
	Role string
}

// Options are what the audit needs besides the graph.
type Options struct {
	Accounts []Declared
	// Findings are the scan's findings, to group by account.
	Findings []rules.Finding
	// Deployments are templates deployed as StackSets by something other
	// than the code (a Control Tower customizations manifest).
	Deployments []Deployment
}

// Deployment is a template that a manifest deploys to accounts (IDs or
// names) and OUs.
type Deployment struct {
	Source, Template string
	Accounts, OUs    []string
}

// Report is the audit of one landing zone.
type Report struct {
	Accounts   []*Account
	Tree       *Node
	Guardrails []Guardrail
	Trust      []TrustEdge
	Reach      []Reach
	Delegated  []Delegated
	StackSets  []StackSet
	// Requests are the accounts requested through Account Factory for
	// Terraform.
	Requests []AccountRequest
	Findings []AccountFindings
	// Notes say what the audit could not see, in words.
	Notes []string
}

// Account is one AWS account the code creates, names or deploys into.
type Account struct {
	// Key identifies the account in the report: its ID, else
	// "name:<name>" for an account the tree creates whose ID is known only
	// after apply, else "management" for an organization's account whose
	// ID no code states.
	Key  string
	ID   string
	Name string
	// Roles are what the code says the account is for, sorted.
	Roles []string
	// Evidence says, per role, which resource or declaration shows it.
	Evidence []string
	// Address is the resource that creates or requests the account, if
	// any.
	Address string
	// Requested says how the account is requested when the code asks an
	// account factory for it rather than creating it.
	Requested string
	// Path is the account's place in the organization.
	Path string
	// Stacks are the roots (module directories, templates, plans) whose
	// resources live in the account.
	Stacks    []string
	Resources int
}

// Label is how reports name the account: "name (id)", or what is known.
func (a *Account) Label() string {
	switch {
	case a.Name != "" && a.ID != "":
		return a.Name + " (" + a.ID + ")"
	case a.Name != "":
		return a.Name
	case a.ID != "":
		return a.ID
	}
	return a.Key
}

// HasRole reports whether the account has role.
func (a *Account) HasRole(role string) bool { return slices.Contains(a.Roles, role) }

// Delegated is an account registered as delegated administrator of a
// service.
type Delegated struct {
	Account string // account key
	Service string
	Address string
}

// StackSet is a StackSet and where it deploys.
type StackSet struct {
	Address  string
	Name     string
	Accounts []string
	OUs      []string
	// Unknown: some targets cannot be known statically.
	Unknown bool
}

// AccountFindings are the findings on resources of one account.
type AccountFindings struct {
	// Account is the account key, "" for resources no account is
	// attributed to.
	Account  string
	Findings []rules.Finding
}

type builder struct {
	g      *graph.Graph
	rep    *Report
	byKey  map[string]*Account
	mgmt   graph.Management
	hasOrg bool
	// mgmtKey is the management account's key, "" without an
	// organization.
	mgmtKey string
}

// Build audits the landing zone the graph describes.
func Build(g *graph.Graph, opts Options) *Report {
	b := &builder{g: g, rep: &Report{}, byKey: map[string]*Account{}}
	b.mgmt, b.hasOrg = g.Management()
	for _, d := range opts.Accounts {
		a := b.ensure(d.ID, d.Name)
		if d.Role != "" {
			b.role(a, d.Role, "declared in the configuration")
		}
	}
	b.orgAccounts()
	b.aftRequests()
	b.management()
	b.attribute()
	b.roles()
	b.stackSets()
	b.deployments(opts.Deployments)
	b.tree()
	b.guardrails()
	b.trust()
	b.findings(opts.Findings)
	for _, a := range b.rep.Accounts {
		slices.Sort(a.Roles)
		a.Roles = slices.Compact(a.Roles)
		slices.Sort(a.Evidence)
		a.Evidence = slices.Compact(a.Evidence)
		slices.Sort(a.Stacks)
		a.Stacks = slices.Compact(a.Stacks)
	}
	slices.SortFunc(b.rep.Accounts, func(x, y *Account) int { return cmp.Compare(x.Key, y.Key) })
	slices.Sort(b.rep.Notes)
	b.rep.Notes = slices.Compact(b.rep.Notes)
	return b.rep
}

// ensure finds or adds the account with this ID or, without one, this
// name.
func (b *builder) ensure(id, name string) *Account {
	if a := b.byID(id); a != nil {
		if a.Name == "" {
			a.Name = name
		}
		return a
	}
	for _, a := range b.rep.Accounts {
		if id != "" && a.ID == id || id == "" && name != "" && strings.EqualFold(a.Name, name) {
			if a.Name == "" {
				a.Name = name
			}
			return a
		}
	}
	if id != "" && name != "" {
		// An account first known by its name gets its ID.
		for _, a := range b.rep.Accounts {
			if a.ID == "" && strings.EqualFold(a.Name, name) {
				delete(b.byKey, a.Key)
				a.ID, a.Key = id, id
				b.byKey[id] = a
				return a
			}
		}
	}
	key := id
	if key == "" {
		key = "name:" + name
	}
	a := &Account{Key: key, ID: id, Name: name}
	b.byKey[key] = a
	b.rep.Accounts = append(b.rep.Accounts, a)
	return a
}

func (b *builder) role(a *Account, role, why string) {
	a.Roles = append(a.Roles, role)
	a.Evidence = append(a.Evidence, role+": "+why)
}

// orgAccounts adds the member accounts the code creates.
func (b *builder) orgAccounts() {
	for _, r := range b.g.Resources {
		n := r.Facets.OrgNode()
		if n == nil || n.Kind != graph.OrgAccount || r.Addr.Mode != graph.Managed {
			continue
		}
		name := nameOf(r)
		id := ""
		if n.ID.State == graph.Set {
			id = n.ID.V
		}
		if id == "" && name == "" {
			name = r.Addr.String()
		}
		a := b.ensure(id, name)
		a.Address = r.Addr.String()
		a.Path = n.Path()
	}
}

// management names the account that holds the organization.
func (b *builder) management() {
	if !b.hasOrg {
		return
	}
	var a *Account
	switch {
	case b.mgmt.Account.State == graph.Set:
		a = b.ensure(b.mgmt.Account.V, "")
	default:
		for _, x := range b.rep.Accounts {
			if x.HasRole(RoleManagement) {
				a = x
			}
		}
		if a == nil {
			a = &Account{Key: "management", Name: "management account"}
			b.byKey[a.Key] = a
			b.rep.Accounts = append(b.rep.Accounts, a)
			b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("the management account's ID is not stated: %s's provider assumes no role and no account convention covers %s", b.mgmt.Org.Addr, b.mgmt.Org.Range.Filename))
		}
	}
	b.mgmtKey = a.Key
	b.role(a, RoleManagement, "creates the organization ("+b.mgmt.Org.Addr.String()+")")
}

// accountOf is the key of the account r lives in, "" when not known.
func (b *builder) accountOf(r *graph.Resource) string {
	if r.Account.State == graph.Set {
		if a := b.byID(r.Account.V); a != nil {
			return a.Key
		}
		return b.ensure(r.Account.V, "").Key
	}
	if b.hasOrg && b.mgmt.Holds(r) {
		return b.mgmtKey
	}
	return ""
}

// byID finds the account with this ID: an account with an ID has it as
// its key.
func (b *builder) byID(id string) *Account {
	if a := b.byKey[id]; a != nil && a.ID == id {
		return a
	}
	return nil
}

// keyOfID is the account key for an account ID found in a policy or an
// attribute: the account itself when known, else the ID.
func (b *builder) keyOfID(id string) string {
	if a := b.byID(id); a != nil {
		return a.Key
	}
	return id
}

func (b *builder) attribute() {
	unattributed := 0
	for _, r := range b.g.Resources {
		if r.Addr.Mode != graph.Managed {
			continue
		}
		k := b.accountOf(r)
		if k == "" {
			unattributed++
			continue
		}
		a := b.byKey[k]
		a.Resources++
		a.Stacks = append(a.Stacks, r.Addr.Stack)
	}
	if unattributed > 0 {
		b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("%d resources are attributed to no account: their providers assume no role with a known ARN and no account convention of the configuration covers their files", unattributed))
	}
}

// roles finds the log-archive, security and network accounts from what
// they hold.
func (b *builder) roles() {
	for _, r := range b.g.Resources {
		if t := r.Facets.Trail(); t != nil && t.Organization.Is(true) {
			for _, bk := range rules.TrailBuckets(b.g, r) {
				if k := b.accountOf(bk); k != "" {
					b.role(b.byKey[k], RoleLogArchive, "holds the organization trail's bucket "+bk.Addr.String())
				}
			}
		}
		if svc, acct, ok := rules.DelegatedAdmin(r); ok && r.Addr.Mode == graph.Managed {
			if acct.State != graph.Set {
				b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("the delegated administrator of %s in %s is an account that cannot be known statically", svc, r.Addr))
				continue
			}
			a := b.ensure(acct.V, "")
			b.rep.Delegated = append(b.rep.Delegated, Delegated{Account: a.Key, Service: svc, Address: r.Addr.String()})
			if securityService(svc) {
				b.role(a, RoleSecurity, "delegated administrator of "+svc+" ("+r.Addr.String()+")")
			}
		}
		if kind, ok := rules.WorkloadKind(r.Addr.Type); ok && r.Addr.Mode == graph.Managed {
			if k := b.accountOf(r); k != "" && !b.byKey[k].HasRole(RoleWorkload) {
				b.role(b.byKey[k], RoleWorkload, "runs "+kind+" "+r.Addr.String())
			}
		}
		if b.sharesSubnets(r) {
			if k := b.accountOf(r); k != "" {
				b.role(b.byKey[k], RoleNetwork, "shares subnets through RAM ("+r.Addr.String()+")")
			}
		}
		switch r.Addr.Type {
		case "aws_ec2_transit_gateway", "AWS::EC2::TransitGateway", "aws_networkfirewall_firewall", "AWS::NetworkFirewall::Firewall":
			if k := b.accountOf(r); k != "" {
				b.role(b.byKey[k], RoleNetwork, "holds "+r.Addr.String())
			}
		}
	}
	slices.SortFunc(b.rep.Delegated, func(x, y Delegated) int {
		return cmp.Or(cmp.Compare(x.Account, y.Account), cmp.Compare(x.Service, y.Service), cmp.Compare(x.Address, y.Address))
	})
}

// sharesSubnets reports whether r shares subnets with other accounts
// through AWS RAM: a shared VPC, owned by the network account.
func (b *builder) sharesSubnets(r *graph.Resource) bool {
	var attr string
	switch r.Addr.Type {
	case "aws_ram_resource_association":
		attr = "resource_arn"
		if v := r.StringAttr(attr); v.State == graph.Set && strings.Contains(v.V, ":subnet/") {
			return true
		}
	case "AWS::RAM::ResourceShare":
		attr = "ResourceArns"
	default:
		return false
	}
	for _, ref := range r.Refs {
		if ref.Attr != attr && !strings.HasPrefix(ref.Attr, attr+".") {
			continue
		}
		for _, t := range b.g.ResolveRef(r, ref) {
			if t.Addr.Type == "aws_subnet" || t.Addr.Type == "AWS::EC2::Subnet" {
				return true
			}
		}
	}
	return false
}

// securityService reports whether a delegated service is a detective or
// security one: its administrator account is the security tooling
// account. StackSets or IAM Identity Center administrators are not.
func securityService(svc string) bool {
	for _, p := range []string{"guardduty.", "securityhub.", "config.", "config-multiaccountsetup.", "access-analyzer.",
		"macie.", "detective.", "inspector2.", "fms."} {
		if strings.HasPrefix(svc, p) {
			return true
		}
	}
	return false
}

// stackSets lists the StackSets of the tree and their targets.
func (b *builder) stackSets() {
	byName := map[string]*StackSet{}
	var order []*StackSet
	add := func(r *graph.Resource, name string) *StackSet {
		if s := byName[r.Addr.Scope()+"|"+name]; s != nil && name != "" {
			return s
		}
		s := &StackSet{Address: r.Addr.String(), Name: name}
		byName[r.Addr.Scope()+"|"+name] = s
		order = append(order, s)
		return s
	}
	target := func(s *StackSet, r *graph.Resource, accounts, ous string) {
		if accounts != "" {
			vs, known := r.StringListAttr(accounts)
			s.Unknown = s.Unknown || !known
			for _, v := range vs {
				if v.State == graph.Set {
					s.Accounts = append(s.Accounts, b.keyOfID(v.V))
				} else {
					s.Unknown = true
				}
			}
		}
		vs, known := r.StringListAttr(ous)
		s.Unknown = s.Unknown || !known
		for _, v := range vs {
			if v.State == graph.Set {
				s.OUs = append(s.OUs, v.V)
			} else {
				s.Unknown = true
			}
		}
	}
	for _, r := range b.g.Resources {
		switch r.Addr.Type {
		case "aws_cloudformation_stack_set":
			add(r, r.StringAttr("name").V)
		case "AWS::CloudFormation::StackSet":
			s := add(r, r.StringAttr("StackSetName").V)
			n, known := r.ListLen("StackInstancesGroup")
			s.Unknown = s.Unknown || !known
			for i := range n {
				p := fmt.Sprintf("StackInstancesGroup.%d.DeploymentTargets.", i)
				target(s, r, p+"Accounts", p+"OrganizationalUnitIds")
			}
		}
	}
	for _, r := range b.g.Resources {
		if r.Addr.Type != "aws_cloudformation_stack_set_instance" {
			continue
		}
		name := r.StringAttr("stack_set_name")
		var s *StackSet
		if name.State == graph.Set {
			s = byName[r.Addr.Scope()+"|"+name.V]
		}
		if s == nil {
			s = add(r, name.V)
		}
		if a := r.StringAttr("account_id"); a.State == graph.Set {
			s.Accounts = append(s.Accounts, b.keyOfID(a.V))
		} else if a.State == graph.Unknown {
			s.Unknown = true
		}
		target(s, r, "", "deployment_targets.0.organizational_unit_ids")
	}
	for _, s := range order {
		slices.Sort(s.Accounts)
		s.Accounts = slices.Compact(s.Accounts)
		slices.Sort(s.OUs)
		s.OUs = slices.Compact(s.OUs)
		b.rep.StackSets = append(b.rep.StackSets, *s)
	}
	slices.SortFunc(b.rep.StackSets, func(x, y StackSet) int { return cmp.Compare(x.Address, y.Address) })
}

// deployments lists the manifests' deployments with the StackSets.
func (b *builder) deployments(ds []Deployment) {
	for _, d := range ds {
		s := StackSet{Address: d.Source, Name: d.Template, OUs: slices.Clone(d.OUs)}
		for _, a := range d.Accounts {
			key := b.keyOfID(a)
			for _, x := range b.rep.Accounts {
				if strings.EqualFold(x.Name, a) {
					key = x.Key
				}
			}
			s.Accounts = append(s.Accounts, key)
		}
		slices.Sort(s.Accounts)
		s.Accounts = slices.Compact(s.Accounts)
		slices.Sort(s.OUs)
		b.rep.StackSets = append(b.rep.StackSets, s)
	}
	slices.SortFunc(b.rep.StackSets, func(x, y StackSet) int { return cmp.Compare(x.Address, y.Address) })
}

func (b *builder) findings(fs []rules.Finding) {
	by := map[string][]rules.Finding{}
	for _, f := range fs {
		if f.Resource == nil {
			continue
		}
		k := b.accountOf(f.Resource)
		by[k] = append(by[k], f)
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.rep.Findings = append(b.rep.Findings, AccountFindings{Account: k, Findings: by[k]})
	}
}

// nameOf is the name the code gives an organization node.
func nameOf(r *graph.Resource) string {
	if n := r.Facets.OrgNode(); n != nil && n.Name.State == graph.Set {
		return n.Name.V
	}
	return ""
}

// Account returns the account with this key, or nil.
func (r *Report) Account(key string) *Account {
	for _, a := range r.Accounts {
		if a.Key == key {
			return a
		}
	}
	return nil
}

// AccountLabel names an account key for display: the account's label, or
// the key itself for an account the report knows only from a policy.
func (r *Report) AccountLabel(key string) string {
	if a := r.Account(key); a != nil {
		return a.Label()
	}
	return key
}
