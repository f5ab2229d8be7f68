// Package bench holds Strider's benchmarks over generated landing zones
// (see internal/gen): each stage of a scan — parsing, Terraform
// evaluation, graph building, rules, SARIF writing — and the whole scan,
// at 1k, 10k and 100k resources. It has no code of its own besides the
// benchmarks; run them with
//
//	go test ./internal/bench -run '^$' -bench . -benchmem
//
// The 100k cases run only when the -bench pattern names them ("100k"),
// so that a plain -bench . stays short.
package bench
