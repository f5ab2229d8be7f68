package iam

// TargetKind is what a privilege-escalation technique acts on.
type TargetKind string

// Target kinds.
const (
	// TargetUser: an IAM user (another one, or the principal itself).
	TargetUser TargetKind = "user"
	// TargetGroup: an IAM group.
	TargetGroup TargetKind = "group"
	// TargetRole: an existing role whose permissions or trust are changed.
	TargetRole TargetKind = "role"
	// TargetPolicy: a customer managed policy.
	TargetPolicy TargetKind = "policy"
	// TargetPassRole: a role passed to a service, which then runs code
	// the caller controls with the role's permissions.
	TargetPassRole TargetKind = "passrole"
	// TargetInstance: an EC2 instance with an instance profile.
	TargetInstance TargetKind = "instance"
	// TargetFunction: a Lambda function with an execution role.
	TargetFunction TargetKind = "function"
	// TargetAssume: a role whose trust admits the principal, assumed
	// with sts:AssumeRole; decided by the principal graph.
	TargetAssume TargetKind = "assume"
	// TargetService: an existing resource of a service that runs with a
	// role (a stack, a build project, a notebook) that Strider does not
	// model; only a wildcard resource reaches it.
	TargetService TargetKind = "service"
)

// Technique is one privilege-escalation technique of the reference
// table: the actions that must all be allowed, what they act on, and
// ATT&CK techniques.
type Technique struct {
	// ID is stable ("PE-03"); Row is the row of the reference table.
	ID   string
	Row  int
	Name string
	// TargetActions must be allowed on the target's ARN (for PassRole
	// techniques, iam:PassRole on the role); OtherActions on some
	// resource. An element "a|b" is allowed when either action is.
	TargetActions []string
	OtherActions  []string
	Target        TargetKind
	// Service is the service principal a passed role must trust.
	Service string
	// Self: the technique may target the principal itself (a user that
	// attaches a policy to itself). Techniques that only yield the
	// principal's own credentials are not escalation on oneself.
	Self bool
	// Admin: performing the technique on oneself (or on a group one is
	// in, or a policy attached to oneself) grants any permission.
	Admin  bool
	ATTACK []string
}

// Techniques is the table of privilege-escalation techniques whose
// resources the scanned code can show, in row order of the reference
// table (iam-privesc.md, merged from PMapper, Rhino Security Labs and
// pathfinding.cloud); variants of a row carry a letter. Row 35
// (CodeStar) is kept although AWS retired the service: accounts that
// used it may still allow its actions. PE-14 (assume
// a role that trusts the principal) counts only roles that are
// administrators or can become one.
var Techniques = []Technique{
	{ID: "PE-01", Row: 1, Name: "create a new default version of a managed policy", TargetActions: []string{"iam:CreatePolicyVersion"}, Target: TargetPolicy, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-02", Row: 2, Name: "set an older, more permissive version of a managed policy as default", TargetActions: []string{"iam:SetDefaultPolicyVersion"}, Target: TargetPolicy, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-03", Row: 3, Name: "attach a managed policy to a user", TargetActions: []string{"iam:AttachUserPolicy"}, Target: TargetUser, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-04", Row: 4, Name: "attach a managed policy to a group", TargetActions: []string{"iam:AttachGroupPolicy"}, Target: TargetGroup, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-05", Row: 5, Name: "attach a managed policy to a role", TargetActions: []string{"iam:AttachRolePolicy"}, Target: TargetRole, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-06", Row: 6, Name: "put an inline policy on a user", TargetActions: []string{"iam:PutUserPolicy"}, Target: TargetUser, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-07", Row: 7, Name: "put an inline policy on a group", TargetActions: []string{"iam:PutGroupPolicy"}, Target: TargetGroup, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-08", Row: 8, Name: "put an inline policy on a role", TargetActions: []string{"iam:PutRolePolicy"}, Target: TargetRole, Self: true, Admin: true, ATTACK: []string{"T1098.003"}},
	{ID: "PE-09", Row: 9, Name: "add a user to a more privileged group", TargetActions: []string{"iam:AddUserToGroup"}, Target: TargetGroup, ATTACK: []string{"T1098.003"}},
	{ID: "PE-10", Row: 10, Name: "create an access key for another user", TargetActions: []string{"iam:CreateAccessKey"}, Target: TargetUser, ATTACK: []string{"T1098.001"}},
	{ID: "PE-11", Row: 11, Name: "create a console password for another user", TargetActions: []string{"iam:CreateLoginProfile"}, Target: TargetUser, ATTACK: []string{"T1098.001"}},
	{ID: "PE-12", Row: 12, Name: "reset another user's console password", TargetActions: []string{"iam:UpdateLoginProfile"}, Target: TargetUser, ATTACK: []string{"T1098.001"}},
	{ID: "PE-13", Row: 13, Name: "rewrite a role's trust policy, then assume the role", TargetActions: []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, Target: TargetRole, ATTACK: []string{"T1098", "T1484.002"}},
	{ID: "PE-14", Row: 14, Name: "assume a role that trusts it and has more rights", TargetActions: []string{"sts:AssumeRole"}, Target: TargetAssume, ATTACK: []string{"T1078.004", "T1548.005"}},
	{ID: "PE-15", Row: 15, Name: "pass a role to a new EC2 instance and read its credentials from IMDS", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"ec2:RunInstances"}, Target: TargetPassRole, Service: "ec2.amazonaws.com", ATTACK: []string{"T1548.005", "T1578.002", "T1552.005"}},
	{ID: "PE-15b", Row: 15, Name: "pass a role to a new spot instance and read its credentials from IMDS", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"ec2:RequestSpotInstances"}, Target: TargetPassRole, Service: "ec2.amazonaws.com", ATTACK: []string{"T1548.005", "T1578.002", "T1552.005"}},
	{ID: "PE-16", Row: 16, Name: "attach an instance profile with the role to an existing instance", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"ec2:AssociateIamInstanceProfile|ec2:ReplaceIamInstanceProfileAssociation"}, Target: TargetPassRole, Service: "ec2.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-17a", Row: 17, Name: "change the user data of an instance that has a role and restart it", TargetActions: []string{"ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"}, Target: TargetInstance, ATTACK: []string{"T1578", "T1552.005"}},
	{ID: "PE-17b", Row: 17, Name: "make a new default launch template version with other user data", TargetActions: []string{"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"}, Target: TargetService, ATTACK: []string{"T1578", "T1552.005"}},
	{ID: "PE-18", Row: 18, Name: "pass a role to an Auto Scaling launch configuration", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"autoscaling:CreateLaunchConfiguration|ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"}, Target: TargetPassRole, Service: "ec2.amazonaws.com", ATTACK: []string{"T1548.005", "T1578.002"}},
	{ID: "PE-19", Row: 19, Name: "push an SSH key to an instance with EC2 Instance Connect", TargetActions: []string{"ec2-instance-connect:SendSSHPublicKey"}, Target: TargetInstance, ATTACK: []string{"T1021.008"}},
	{ID: "PE-20", Row: 20, Name: "run a command on an instance with SSM", TargetActions: []string{"ssm:SendCommand"}, Target: TargetInstance, ATTACK: []string{"T1651"}},
	{ID: "PE-21", Row: 21, Name: "open an SSM session on an instance", TargetActions: []string{"ssm:StartSession"}, Target: TargetInstance, ATTACK: []string{"T1021.008"}},
	{ID: "PE-22", Row: 22, Name: "pass a role to a new Lambda function and invoke it", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"lambda:CreateFunction", "lambda:InvokeFunction"}, Target: TargetPassRole, Service: "lambda.amazonaws.com", ATTACK: []string{"T1548.005", "T1648"}},
	{ID: "PE-23", Row: 23, Name: "pass a role to a new Lambda function and let another account invoke it", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"lambda:CreateFunction", "lambda:AddPermission"}, Target: TargetPassRole, Service: "lambda.amazonaws.com", ATTACK: []string{"T1548.005", "T1648"}},
	{ID: "PE-24", Row: 24, Name: "pass a role to a new Lambda function triggered by an event source", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, Target: TargetPassRole, Service: "lambda.amazonaws.com", ATTACK: []string{"T1548.005", "T1648"}},
	{ID: "PE-25", Row: 25, Name: "update the code of an existing Lambda function that has a role", TargetActions: []string{"lambda:UpdateFunctionCode"}, Target: TargetFunction, ATTACK: []string{"T1648"}},
	{ID: "PE-26", Row: 26, Name: "add a malicious layer to an existing Lambda function that has a role", TargetActions: []string{"lambda:UpdateFunctionConfiguration"}, Target: TargetFunction, ATTACK: []string{"T1648"}},
	{ID: "PE-27", Row: 27, Name: "pass a role to a new Glue development endpoint", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"glue:CreateDevEndpoint"}, Target: TargetPassRole, Service: "glue.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-28", Row: 28, Name: "add an SSH key to an existing Glue development endpoint", TargetActions: []string{"glue:UpdateDevEndpoint"}, Target: TargetService, ATTACK: []string{"T1098.004"}},
	{ID: "PE-29", Row: 29, Name: "pass a role to a new Glue job and run it", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"glue:CreateJob|glue:UpdateJob", "glue:StartJobRun|glue:CreateTrigger"}, Target: TargetPassRole, Service: "glue.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-30", Row: 30, Name: "pass a role to a new CloudFormation stack", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"cloudformation:CreateStack"}, Target: TargetPassRole, Service: "cloudformation.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-31", Row: 31, Name: "update an existing CloudFormation stack that has a service role", TargetActions: []string{"cloudformation:UpdateStack"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-31b", Row: 31, Name: "execute a change set on an existing CloudFormation stack that has a service role", TargetActions: []string{"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-32", Row: 32, Name: "pass a role to a new CloudFormation StackSet", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"}, Target: TargetPassRole, Service: "cloudformation.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-32b", Row: 32, Name: "update an existing CloudFormation StackSet to run with the role", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"cloudformation:UpdateStackSet"}, Target: TargetPassRole, Service: "cloudformation.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-33", Row: 33, Name: "pass a role to a new Data Pipeline", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}, Target: TargetPassRole, Service: "datapipeline.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-34", Row: 34, Name: "pass a role to a new CodeBuild project and start a build", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"codebuild:CreateProject|codebuild:UpdateProject", "codebuild:StartBuild|codebuild:StartBuildBatch"}, Target: TargetPassRole, Service: "codebuild.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-34b", Row: 34, Name: "start a build of an existing CodeBuild project that has a role", TargetActions: []string{"codebuild:StartBuild|codebuild:StartBuildBatch"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-35a", Row: 35, Name: "create a CodeStar project from a template (CodeStar is retired)", TargetActions: []string{"codestar:CreateProjectFromTemplate"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-35b", Row: 35, Name: "pass a role to a new CodeStar project (CodeStar is retired)", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"codestar:CreateProject"}, Target: TargetPassRole, Service: "codestar.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-35c", Row: 35, Name: "create a CodeStar project and make oneself its owner (CodeStar is retired)", TargetActions: []string{"codestar:CreateProject", "codestar:AssociateTeamMember"}, Target: TargetService, ATTACK: []string{"T1098.003"}},
	{ID: "PE-36", Row: 36, Name: "pass a role to a new SageMaker notebook instance", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"}, Target: TargetPassRole, Service: "sagemaker.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-37", Row: 37, Name: "pass a role to a new SageMaker training job", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"sagemaker:CreateTrainingJob"}, Target: TargetPassRole, Service: "sagemaker.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-37b", Row: 37, Name: "pass a role to a new SageMaker processing job", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"sagemaker:CreateProcessingJob"}, Target: TargetPassRole, Service: "sagemaker.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-38", Row: 38, Name: "open an existing SageMaker notebook", TargetActions: []string{"sagemaker:CreatePresignedNotebookInstanceUrl"}, Target: TargetService, ATTACK: []string{"T1078.004"}},
	{ID: "PE-39", Row: 39, Name: "inject a lifecycle configuration into an existing SageMaker notebook", TargetActions: []string{"sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-40", Row: 40, Name: "pass a role to a new ECS task", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"ecs:RegisterTaskDefinition", "ecs:RunTask|ecs:StartTask"}, Target: TargetPassRole, Service: "ecs-tasks.amazonaws.com", ATTACK: []string{"T1548.005", "T1610"}},
	{ID: "PE-40b", Row: 40, Name: "pass a role to a new ECS service", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"ecs:RegisterTaskDefinition", "ecs:CreateService"}, Target: TargetPassRole, Service: "ecs-tasks.amazonaws.com", ATTACK: []string{"T1548.005", "T1610"}},
	{ID: "PE-41", Row: 41, Name: "execute a command in a running ECS task", TargetActions: []string{"ecs:ExecuteCommand"}, OtherActions: []string{"ecs:DescribeTasks"}, Target: TargetService, ATTACK: []string{"T1609"}},
	{ID: "PE-42", Row: 42, Name: "pass a role to a new App Runner service", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"apprunner:CreateService"}, Target: TargetPassRole, Service: "tasks.apprunner.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-42b", Row: 42, Name: "update an existing App Runner service that has a role", TargetActions: []string{"apprunner:UpdateService"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
	{ID: "PE-43", Row: 43, Name: "pass a role to a new Bedrock AgentCore code interpreter and run code in it", TargetActions: []string{"iam:PassRole"}, OtherActions: []string{"bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"}, Target: TargetPassRole, Service: "bedrock-agentcore.amazonaws.com", ATTACK: []string{"T1548.005"}},
	{ID: "PE-43b", Row: 43, Name: "run code in an existing Bedrock AgentCore code interpreter", TargetActions: []string{"bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"}, Target: TargetService, ATTACK: []string{"T1548.005"}},
}

// LookupTechnique returns the technique with this ID, or nil.
func LookupTechnique(id string) *Technique {
	for i := range Techniques {
		if Techniques[i].ID == id {
			return &Techniques[i]
		}
	}
	return nil
}
