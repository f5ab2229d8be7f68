// Package audit builds the organization-level picture of a landing zone
// from one graph of many roots: the accounts and what each is for, the
// organization tree, the guardrail matrix (each control's SCP status per
// OU and account), the cross-account trust map with the reach of each
// account, and the findings grouped by account. It computes nothing the
// graph passes or the rules already do; it reads them and arranges them
// for a platform team. Renderers live in report.
package audit
