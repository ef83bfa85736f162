// A Go program of the components: the SDK that `pulumi package add` generates for Go from
// provider/schema.json (module example.com/pulumi-sandbox-clusters/sdk/go, put at ./sdk by
// test/integration/e2e/otherLanguages.test.ts), deployed with Pulumi's Go Automation API and an
// inline program, so the Go process serves the language runtime itself (the Go language host is
// not served here). The engine starts the components' plugin from -plugin-dir.
//
//	sandbox-go -op up|preview|destroy -pulumi-root DIR -plugin-dir DIR -work-dir DIR -kubeconfig FILE [-verification-image REF] [-tenant-class NAME]
//
// Prints the stack's outputs (up) or the change summary (preview) as one JSON line.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"example.com/pulumi-sandbox-clusters/sdk/go/sandboxclusters"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// kubernetesProvider is an explicit Kubernetes provider, registered by its type token: the
// program needs no Kubernetes SDK of its own, only the provider plugin the engine has.
type kubernetesProvider struct {
	pulumi.ProviderResourceState
}

func program(kubeconfig, image, tenantClass string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var k8s kubernetesProvider
		err := ctx.RegisterResource("pulumi:providers:kubernetes", "k8s", pulumi.Map{"kubeconfig": pulumi.String(kubeconfig)}, &k8s)
		if err != nil {
			return err
		}
		off := false
		verification := &sandboxclusters.VerificationArgsArgs{Enabled: &off}
		if image != "" {
			verification = &sandboxclusters.VerificationArgsArgs{Image: &image}
		}
		deny := sandboxclusters.GuardActionDeny
		runtimes, err := sandboxclusters.NewSandboxRuntimes(ctx, "runtimes", &sandboxclusters.SandboxRuntimesArgs{
			Cloud:        sandboxclusters.CloudKubernetes,
			Gvisor:       &sandboxclusters.GvisorRuntimeArgsArgs{},
			Admission:    &sandboxclusters.AdmissionGuardArgsArgs{Action: &deny},
			Verification: verification,
		}, pulumi.Providers(&k8s))
		if err != nil {
			return err
		}
		tenant, err := sandboxclusters.NewSandboxNamespace(ctx, "tenant", &sandboxclusters.SandboxNamespaceArgs{
			Namespace:        pulumi.StringRef("tenant-go"),
			RuntimeClassName: &tenantClass,
		}, pulumi.Providers(&k8s), pulumi.DependsOn([]pulumi.Resource{runtimes}))
		if err != nil {
			return err
		}
		ctx.Export("runtimeClassNames", runtimes.RuntimeClassNames)
		ctx.Export("verifications", runtimes.Verifications)
		ctx.Export("tenantNamespace", tenant.NamespaceName)
		return nil
	}
}

func main() {
	op := flag.String("op", "up", "up, preview or destroy")
	root := flag.String("pulumi-root", "", "folder holding bin/pulumi")
	pluginDir := flag.String("plugin-dir", "", "folder holding pulumi-resource-sandbox-clusters")
	workDir := flag.String("work-dir", "", "the workspace's folder (its Pulumi.yaml); without it the Automation API makes one under the temp folder and leaves it")
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file of the cluster")
	image := flag.String("verification-image", "", "verification image by digest; without it verification is off")
	tenantClass := flag.String("tenant-class", "gvisor", "RuntimeClass of the tenant namespace")
	flag.Parse()
	if err := run(*op, *root, *pluginDir, *workDir, *kubeconfig, *image, *tenantClass); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox-go:", err)
		os.Exit(1)
	}
}

func run(op, root, pluginDir, workDir, kubeconfig, image, tenantClass string) error {
	ctx := context.Background()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	if err != nil {
		return err
	}
	project := workspace.Project{
		Name:    tokens.PackageName("sandbox-go"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "sandbox-clusters", Path: pluginDir}}},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "sandbox-go", program(kubeconfig, image, tenantClass),
		auto.Pulumi(cmd), auto.Project(project), auto.WorkDir(workDir))
	if err != nil {
		return err
	}
	var out any
	switch op {
	case "up":
		res, err := stack.Up(ctx)
		if err != nil {
			return err
		}
		outputs := map[string]any{}
		for k, v := range res.Outputs {
			outputs[k] = v.Value
		}
		out = outputs
	case "preview":
		res, err := stack.Preview(ctx, optpreview.ExpectNoChanges())
		if err != nil {
			return err
		}
		out = res.ChangeSummary
	case "destroy":
		res, err := stack.Destroy(ctx)
		if err != nil {
			return err
		}
		out = res.Summary.Result
	default:
		return fmt.Errorf("unknown -op %q", op)
	}
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	return nil
}
