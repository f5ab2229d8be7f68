// Package gen writes synthetic AWS landing zones for benchmarks: an
// organization root, one Terraform root per account (a provider assuming
// a role into the account, a network, a cross-account admin role and a
// local workload module called with for_each) and one CloudFormation
// stack per account. The output depends only on the Config, so two runs
// with the same seed write the same bytes.
package gen

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"
)

// Config says how large a landing zone to write.
type Config struct {
	// Accounts is the number of member accounts.
	Accounts int
	// ResourcesPerAccount is the number of resource instances (including
	// data sources) that each account's Terraform root and CloudFormation
	// stack declare together. Values below MinResourcesPerAccount are
	// raised to it.
	ResourcesPerAccount int
	// Seed makes the random choices (ports, metadata options, public
	// buckets, trusted accounts) reproducible.
	Seed uint64
}

// Fixed shapes of the generated code, used to hit ResourcesPerAccount
// exactly.
const (
	// accountFixed is what every account root declares besides the
	// workload module and the filler log groups.
	accountFixed = 12
	// perService is what one instance of the workload module declares.
	perService = 15
	// perStackUnit is what one unit of the CloudFormation stack declares.
	perStackUnit = 7
	// MinResourcesPerAccount is the smallest account: its fixed part, one
	// service and one stack unit.
	MinResourcesPerAccount = accountFixed + perService + perStackUnit
	// orgFixed is the organization root's part that does not grow with
	// the accounts: the organization, two OUs, a policy document, two SCPs and three
	// attachments.
	orgFixed = 9
)

// Tree is a generated landing zone: slash-separated paths to contents.
type Tree struct {
	Files map[string][]byte
	// Resources is the number of resource instances the tree declares,
	// data sources included: what a scan's graph holds.
	Resources int
}

// Generate builds the tree for cfg.
func Generate(cfg Config) *Tree {
	if cfg.ResourcesPerAccount < MinResourcesPerAccount {
		cfg.ResourcesPerAccount = MinResourcesPerAccount
	}
	if cfg.Accounts < 1 {
		cfg.Accounts = 1
	}
	t := &Tree{Files: map[string][]byte{}}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5354524944455221))
	t.Files["modules/workload/main.tf"] = []byte(workloadModule)
	t.Files["modules/workload/variables.tf"] = []byte(workloadVariables)
	t.Files["organization/main.tf"] = []byte(organization(cfg.Accounts))
	t.Resources += orgFixed + cfg.Accounts
	for i := range cfg.Accounts {
		a := newAccount(i, cfg, rng)
		dir := fmt.Sprintf("accounts/%s", a.name)
		t.Files[dir+"/main.tf"] = []byte(a.terraform())
		t.Files[dir+"/variables.tf"] = []byte(a.variables())
		t.Files[dir+"/stack.yaml"] = []byte(a.cloudFormation())
		t.Resources += cfg.ResourcesPerAccount
	}
	return t
}

// MapFS returns the tree as an in-memory file system.
func (t *Tree) MapFS() fstest.MapFS {
	m := make(fstest.MapFS, len(t.Files))
	for p, b := range t.Files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return m
}

// Paths returns the file paths in sorted order.
func (t *Tree) Paths() []string {
	ps := make([]string, 0, len(t.Files))
	for p := range t.Files {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// Bytes is the total size of the files.
func (t *Tree) Bytes() int {
	n := 0
	for _, b := range t.Files {
		n += len(b)
	}
	return n
}

// Write writes the tree under dir, creating directories as needed.
func (t *Tree) Write(dir string) error {
	for _, p := range t.Paths() {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, t.Files[p], fs.FileMode(0o644)); err != nil {
			return err
		}
	}
	return nil
}

// account is one member account's generated code.
type account struct {
	index    int
	name, id string
	// hub is the account its admin role trusts.
	hub      string
	services []service
	stack    []stackUnit
	// filler log groups bring the count to ResourcesPerAccount exactly.
	filler int
}

type service struct {
	name     string
	port     int
	imdsv2   bool
	public   bool // the security group admits the internet
	bucketOK bool // the bucket blocks public access
}

type stackUnit struct {
	port   int
	tokens string // "", "optional" or "required"
	open   bool
}

func accountID(i int) string { return fmt.Sprintf("%012d", 100000000000+i) }

func newAccount(i int, cfg Config, rng *rand.Rand) *account {
	a := &account{index: i, name: fmt.Sprintf("acct-%04d", i), id: accountID(i)}
	a.hub = accountID(rng.IntN(cfg.Accounts))
	rest := cfg.ResourcesPerAccount - accountFixed
	// About a fifth of each account lives in CloudFormation.
	units := max(1, rest/5/perStackUnit)
	rest -= units * perStackUnit
	nsvc := max(1, rest/perService)
	rest -= nsvc * perService
	a.filler = rest
	ports := []int{22, 80, 443, 3389, 5432, 8080, 8443}
	for s := range nsvc {
		a.services = append(a.services, service{
			name:     fmt.Sprintf("svc%03d", s),
			port:     ports[rng.IntN(len(ports))],
			imdsv2:   rng.IntN(4) != 0,
			public:   rng.IntN(5) == 0,
			bucketOK: rng.IntN(3) != 0,
		})
	}
	for range units {
		a.stack = append(a.stack, stackUnit{
			port:   ports[rng.IntN(len(ports))],
			tokens: []string{"", "optional", "required", "required"}[rng.IntN(4)],
			open:   rng.IntN(4) == 0,
		})
	}
	return a
}

func (a *account) variables() string {
	return fmt.Sprintf(`variable "account_id" {
  type    = string
  default = %q
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cidr" {
  type    = string
  default = "10.%d.0.0/16"
}
`, a.id, a.index%250)
}

func (a *account) terraform() string {
	var b strings.Builder
	fmt.Fprintf(&b, `provider "aws" {
  region = var.region
  assume_role {
    role_arn = "arn:aws:iam::${var.account_id}:role/OrganizationAccountAccessRole"
  }
}

locals {
  name = %q
  tags = {
    Account = local.name
    Owner   = "platform"
  }
  services = {
`, a.name)
	for _, s := range a.services {
		fmt.Fprintf(&b, "    %s = { port = %d, imdsv2 = %t, public = %t, block_public = %t }\n", s.name, s.port, s.imdsv2, s.public, s.bucketOK)
	}
	fmt.Fprintf(&b, `  }
  hub_account = %q
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
  tags       = merge(local.tags, { Name = local.name })
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}

resource "aws_flow_log" "main" {
  vpc_id       = aws_vpc.main.id
  traffic_type = "ALL"
}

resource "aws_cloudtrail" "main" {
  name                          = "${local.name}-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.main.arn
}

resource "aws_s3_bucket" "trail" {
  bucket = "${local.name}-trail-${var.account_id}"
}

resource "aws_kms_key" "main" {
  description             = "${local.name} logs"
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Root"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

data "aws_iam_policy_document" "admin_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.hub_account}:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "admin" {
  name               = "${local.name}-admin"
  assume_role_policy = data.aws_iam_policy_document.admin_trust.json
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "deploy" {
  name = "${local.name}-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${local.hub_account}:role/deployer" }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  name = "deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ec2:*", "s3:*"], Resource = "*" },
      { Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::${var.account_id}:role/${local.name}-*" },
    ]
  })
}

module "workload" {
  source       = "../../modules/workload"
  for_each     = local.services
  name         = "${local.name}-${each.key}"
  account_id   = var.account_id
  vpc_id       = aws_vpc.main.id
  subnet_id    = aws_subnet.private[0].id
  port         = each.value.port
  imdsv2       = each.value.imdsv2
  public       = each.value.public
  block_public = each.value.block_public
  tags         = local.tags
}
`, a.hub)
	if a.filler > 0 {
		fmt.Fprintf(&b, `
resource "aws_cloudwatch_log_group" "app" {
  count             = %d
  name              = "/${local.name}/app/${count.index}"
  retention_in_days = 30
}
`, a.filler)
	}
	return b.String()
}

// workloadModule is the per-service module: fifteen resources.
const workloadModule = `data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "access" {
  statement {
    sid       = "Data"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    # By name, as most policies do: every role's pattern is tried against
    # the stores of the whole tree, which must not grow with its square.
    resources = ["arn:aws:s3:::${var.name}-data-${var.account_id}", "arn:aws:s3:::${var.name}-data-${var.account_id}/*"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:*:${var.account_id}:log-group:/${var.name}/*"]
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "access" {
  name   = "access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_iam_policy" "ops" {
  name = "${var.name}-ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ssm:StartSession", "ssm:TerminateSession"], Resource = "*" },
      { Effect = "Allow", Action = "ec2:Describe*", Resource = "*" },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "ops" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.ops.arn
}

resource "aws_iam_instance_profile" "this" {
  name = var.name
  role = aws_iam_role.this.name
}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = var.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "app" {
  for_each          = toset(var.public ? ["0.0.0.0/0", "10.0.0.0/8"] : ["10.0.0.0/8", "172.16.0.0/12"])
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = each.value
  from_port         = var.port
  to_port           = var.port
  ip_protocol       = "tcp"
}

resource "aws_security_group_rule" "health" {
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = 8081
  to_port           = 8081
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_instance" "this" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [aws_security_group.this.id]
  iam_instance_profile   = aws_iam_instance_profile.this.name
  tags                   = merge(var.tags, { Name = var.name })

  dynamic "metadata_options" {
    for_each = var.imdsv2 ? [1] : []
    content {
      http_tokens                 = "required"
      http_put_response_hop_limit = 1
    }
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "${var.name}-data-${var.account_id}"
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = var.block_public
  block_public_policy     = var.block_public
  ignore_public_acls      = var.block_public
  restrict_public_buckets = var.block_public
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLSOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
`

const workloadVariables = `variable "name" { type = string }
variable "account_id" { type = string }
variable "vpc_id" { type = string }
variable "subnet_id" { type = string }
variable "port" { type = number }
variable "imdsv2" { type = bool }
variable "public" { type = bool }
variable "block_public" { type = bool }

variable "tags" {
  type    = map(string)
  default = {}
}
`

func (a *account) cloudFormation() string {
	var b strings.Builder
	fmt.Fprintf(&b, `AWSTemplateFormatVersion: "2010-09-09"
Description: Workloads of %s managed by CloudFormation.

Parameters:
  Environment:
    Type: String
    Default: prod
  AmiId:
    Type: String
    Default: ami-0123456789abcdef0
  VpcId:
    Type: String
    Default: vpc-%08x

Conditions:
  IsProd: !Equals [!Ref Environment, prod]

Resources:
`, a.name, a.index)
	for i, u := range a.stack {
		n := fmt.Sprintf("Unit%03d", i)
		cidr := "10.0.0.0/8"
		if u.open {
			cidr = "0.0.0.0/0"
		}
		fmt.Fprintf(&b, `  %[1]sRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-%[1]s"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: ec2.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub "${%[1]sBucket.Arn}/*"
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt %[1]sQueue.Arn

  %[1]sProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref %[1]sRole]

  %[1]sSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: %[1]s
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: %[2]d
          ToPort: %[2]d
          CidrIp: %[3]s

  %[1]sIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt %[1]sSecurityGroup.GroupId
      IpProtocol: tcp
      FromPort: 8081
      ToPort: 8081
      CidrIp: 10.0.0.0/8

  %[1]sInstance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref AmiId
      InstanceType: !If [IsProd, m5.large, t3.small]
      IamInstanceProfile: !Ref %[1]sProfile
      SecurityGroupIds: [!GetAtt %[1]sSecurityGroup.GroupId]
`, n, u.port, cidr)
		if u.tokens != "" {
			fmt.Fprintf(&b, `      MetadataOptions:
        HttpTokens: %s
`, u.tokens)
		}
		fmt.Fprintf(&b, `      Tags:
        - Key: Name
          Value: !Join ["-", [!Ref "AWS::StackName", %[1]s]]

  %[1]sBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "%[2]s-%[3]s-${Environment}"
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true

  %[1]sQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "%[2]s-%[3]s"

`, n, a.name, strings.ToLower(n))
	}
	return b.String()
}

// organization is the management account's root: the organization, an
// OU per half of the accounts, the accounts, and guardrail SCPs.
func organization(accounts int) string {
	var b strings.Builder
	b.WriteString(`resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_organizational_unit" "sandbox" {
  name      = "sandbox"
  parent_id = aws_organizations_organization.org.roots[0].id
}

data "aws_iam_policy_document" "guardrails" {
  statement {
    sid    = "Guardrails"
    effect = "Deny"
    actions = [
      "organizations:LeaveOrganization",
      "cloudtrail:StopLogging",
      "cloudtrail:DeleteTrail",
      "guardduty:DeleteDetector",
      "config:StopConfigurationRecorder",
    ]
    resources = ["*"]
  }
}

resource "aws_organizations_policy" "guardrails" {
  name    = "guardrails"
  content = data.aws_iam_policy_document.guardrails.json
}

resource "aws_organizations_policy" "imdsv2" {
  name = "require-imdsv2"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "ec2:RunInstances"
      Resource  = "arn:aws:ec2:*:*:instance/*"
      Condition = { StringNotEquals = { "ec2:MetadataHttpTokens" = "required" } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "guardrails" {
  policy_id = aws_organizations_policy.guardrails.id
  target_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_policy_attachment" "imdsv2" {
  policy_id = aws_organizations_policy.imdsv2.id
  target_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_policy_attachment" "sandbox" {
  policy_id = aws_organizations_policy.guardrails.id
  target_id = aws_organizations_organizational_unit.sandbox.id
}

locals {
  accounts = {
`)
	for i := range accounts {
		ou := "workloads"
		if i%2 == 1 {
			ou = "sandbox"
		}
		fmt.Fprintf(&b, "    \"acct-%04d\" = %q\n", i, ou)
	}
	b.WriteString(`  }
  ous = {
    workloads = aws_organizations_organizational_unit.workloads.id
    sandbox   = aws_organizations_organizational_unit.sandbox.id
  }
}

resource "aws_organizations_account" "member" {
  for_each  = local.accounts
  name      = each.key
  email     = "${each.key}@example.com"
  parent_id = local.ous[each.value]
}
`)
	return b.String()
}
