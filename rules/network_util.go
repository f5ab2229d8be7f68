package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// worldCIDRs are the ranges that admit every address of a family.
var worldCIDRs = map[string]bool{"0.0.0.0/0": true, "::/0": true}

// worldSources returns the known CIDRs of in that admit the whole
// internet, in the order written.
func worldSources(in graph.IngressRule) []string {
	var out []string
	for _, c := range in.CIDRs {
		if c.State == graph.Set && worldCIDRs[strings.TrimSpace(c.V)] {
			out = append(out, strings.TrimSpace(c.V))
		}
	}
	return out
}

// portSpan is what an ingress rule opens: every port of every protocol,
// a TCP/UDP port range, or nothing a port rule can judge (ICMP, other
// protocols, unknown values).
type portSpan struct {
	all      bool // every protocol, or every port of TCP or UDP
	from, to int
	ok       bool // from and to are meaningful
	protocol string
}

func ingressSpan(in graph.IngressRule) portSpan {
	if in.Protocol.State != graph.Set {
		return portSpan{}
	}
	p := strings.ToLower(strings.TrimSpace(in.Protocol.V))
	switch p {
	case "-1", "all":
		return portSpan{all: true, protocol: "all protocols"}
	case "tcp", "6", "udp", "17":
	default:
		return portSpan{}
	}
	name := "tcp"
	if p == "udp" || p == "17" {
		name = "udp"
	}
	if in.FromPort.State != graph.Set || in.ToPort.State != graph.Set {
		return portSpan{}
	}
	from, to := in.FromPort.V, in.ToPort.V
	if (from <= 0 && to >= 65535) || (from == -1 && to == -1) {
		return portSpan{all: true, from: 0, to: 65535, ok: true, protocol: name}
	}
	return portSpan{from: from, to: to, ok: true, protocol: name}
}

func (s portSpan) String() string {
	switch {
	case s.all:
		return "every port (" + s.protocol + ")"
	case s.from == s.to:
		return fmt.Sprintf("%s port %d", s.protocol, s.from)
	}
	return fmt.Sprintf("%s ports %d-%d", s.protocol, s.from, s.to)
}

// sensitivePorts are remote administration and database ports that must
// never face the internet.
var sensitivePorts = map[int]string{
	22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM over HTTPS", 5900: "VNC",
	1433: "SQL Server", 1521: "Oracle", 3306: "MySQL/Aurora", 5432: "PostgreSQL", 5439: "Redshift",
	6379: "Redis", 9042: "Cassandra", 9200: "Elasticsearch/OpenSearch", 11211: "Memcached",
	27017: "MongoDB", 2379: "etcd",
}

// sensitiveIn lists the sensitive ports within s, in port order, as
// "22 (SSH)".
func sensitiveIn(s portSpan) []string {
	var ports []int
	for p := range sensitivePorts {
		if p >= s.from && p <= s.to {
			ports = append(ports, p)
		}
	}
	sort.Ints(ports)
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = fmt.Sprintf("%d (%s)", p, sensitivePorts[p])
	}
	return out
}

// eachIngress calls fn for every ingress rule in the graph once: the rules
// of each group (inline and merged standalone ones), then standalone rules
// whose group is not in the graph. group is nil for the latter.
func eachIngress(g *graph.Graph, fn func(group *graph.Resource, in graph.IngressRule)) {
	for _, r := range g.Resources {
		if sg := r.Facets.SecurityGroup(); sg != nil {
			for _, in := range sg.Ingress {
				fn(r, in)
			}
		}
		if sr := r.Facets.SecurityGroupRule(); sr != nil && sr.Resolved == nil {
			fn(nil, sr.Rule)
		}
	}
}

// ingressSubject names the rule and its group for messages.
func ingressSubject(group *graph.Resource, in graph.IngressRule) string {
	switch {
	case group == nil:
		return in.Declared.Addr.String()
	case in.Declared != group:
		return in.Declared.Addr.String() + " (in " + group.Addr.String() + ")"
	}
	return group.Addr.String()
}

// hasUnknownSource says whether some CIDR of in, or the list of them, is
// unknown.
func hasUnknownSource(in graph.IngressRule) bool {
	if !in.CIDRsKnown {
		return true
	}
	for _, c := range in.CIDRs {
		if c.State == graph.Unknown {
			return true
		}
	}
	return false
}
