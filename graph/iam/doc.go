// Package iam models AWS policy documents: identity policies, trust
// policies, key policies and resource policies.
//
// A document is read from any source — a JSON string (Terraform's
// jsonencode, a heredoc, an aws_iam_policy_document rendering) or a cty
// value (a CloudFormation object, a Terraform value before encoding) —
// into one normalized form: string-or-list fields become lists, the
// Principal forms ("*", {"AWS": …}, {"Service": …}, {"Federated": …})
// become typed sets, Action/NotAction and Resource/NotResource are kept
// apart, and conditions are kept as data. Parts that cannot be known
// statically are marked unknown, never guessed.
//
// Matching of actions follows IAM: case-insensitive, with * for any run
// of characters and ? for exactly one.
package iam
