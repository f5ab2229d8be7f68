package scan

import "testing"

// A manifest of any content gives deployments or nothing, never a panic.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte("region: eu-west-1\nversion: 2021-03-15\nresources:\n  - name: a\n    resource_file: t/a.template\n    deploy_method: stack_set\n    deployment_targets:\n      accounts: [012345678901, prod]\n      organizational_units: [Workloads]\n"))
	f.Add([]byte("version: 1\nresources: [1, 2]\n"))
	f.Add([]byte("resources:\n  - deployment_targets:\n      accounts: [{a: b}, [1]]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		ds, ok := readManifest(src, "lz/manifest.yaml")
		if !ok && len(ds) > 0 {
			t.Fatalf("not a manifest, yet deployments: %+v", ds)
		}
		for _, d := range ds {
			if d.Template == "" || d.Source == "" {
				t.Fatalf("deployment without a template or source: %+v", d)
			}
		}
	})
}
