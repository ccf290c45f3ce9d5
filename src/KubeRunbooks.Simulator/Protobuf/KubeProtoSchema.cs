namespace KubeRunbooks.Simulator.Protobuf;

/// <summary>One field of a Kubernetes protobuf message, as its generated.proto declares it.</summary>
/// <param name="Number">Field number.</param>
/// <param name="Json">JSON name; for an inlined (embedded) message, its fields join the parent.</param>
/// <param name="Type">string, bytes, int32, int64, bool, map, bytesmap, quantitymap, Time, Quantity, IntOrString, Skip, or a message name.</param>
/// <param name="Repeated">A list.</param>
/// <param name="Pointer">Optional in Go (a pointer): a zero value is kept, not dropped as omitempty.</param>
/// <param name="Inline">An embedded struct whose fields appear in the parent's JSON.</param>
internal sealed record ProtoField(int Number, string Json, string Type, bool Repeated = false, bool Pointer = false, bool Inline = false);

/// <summary>
/// The slice of Kubernetes' protobuf schema needed to read what client-go's typed clients send
/// (kubectl 1.32's <c>create namespace|secret|configmap|serviceaccount|service|deployment|job|cronjob</c>,
/// <c>create job --from=cronjob/X</c>, <c>auth can-i</c>): field numbers from k8s.io/api's generated.proto,
/// checked against the bodies kubectl 1.32 sends (<c>-v=9</c> hex dumps). A top-level message is
/// named after its kind. A field not listed here makes decoding fail rather than drop data silently.
/// </summary>
internal static class KubeProtoSchema
{
    private static ProtoField S(int n, string json) => new(n, json, "string");
    private static ProtoField Sp(int n, string json) => new(n, json, "string", Pointer: true);
    private static ProtoField Ss(int n, string json) => new(n, json, "string", Repeated: true);
    private static ProtoField I32(int n, string json, bool pointer = false) => new(n, json, "int32", Pointer: pointer);
    private static ProtoField I64(int n, string json, bool pointer = false) => new(n, json, "int64", Pointer: pointer);
    private static ProtoField B(int n, string json, bool pointer = false) => new(n, json, "bool", Pointer: pointer);
    private static ProtoField M(int n, string json, string type, bool repeated = false) => new(n, json, type, repeated);
    private static ProtoField Inline(int n, string type) => new(n, "", type, Inline: true);
    private static ProtoField Skip(int n, string json) => new(n, json, "Skip");

    public static readonly Dictionary<string, ProtoField[]> Messages = new()
    {
        ["Job"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "JobSpec"), Skip(3, "status")],
        ["CronJob"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "CronJobSpec"), Skip(3, "status")],
        ["CronJobSpec"] =
        [
            S(1, "schedule"), I64(2, "startingDeadlineSeconds", true), S(3, "concurrencyPolicy"), B(4, "suspend", true), M(5, "jobTemplate", "JobTemplateSpec"),
            I32(6, "successfulJobsHistoryLimit", true), I32(7, "failedJobsHistoryLimit", true), Sp(8, "timeZone"),
        ],
        ["JobTemplateSpec"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "JobSpec")],
        ["Namespace"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "NamespaceSpec"), Skip(3, "status")],
        ["NamespaceSpec"] = [Ss(1, "finalizers")],
        ["Secret"] = [M(1, "metadata", "ObjectMeta"), M(2, "data", "bytesmap"), S(3, "type"), M(4, "stringData", "map"), B(5, "immutable", true)],
        ["ConfigMap"] = [M(1, "metadata", "ObjectMeta"), M(2, "data", "map"), M(3, "binaryData", "bytesmap"), B(4, "immutable", true)],
        ["ServiceAccount"] =
        [
            M(1, "metadata", "ObjectMeta"), M(2, "secrets", "ObjectReference", true), M(3, "imagePullSecrets", "LocalObjectReference", true),
            B(4, "automountServiceAccountToken", true),
        ],
        // rbac.authorization.k8s.io/v1 (kubectl create role|clusterrole|rolebinding|clusterrolebinding).
        ["Role"] = [M(1, "metadata", "ObjectMeta"), M(2, "rules", "PolicyRule", true)],
        ["ClusterRole"] = [M(1, "metadata", "ObjectMeta"), M(2, "rules", "PolicyRule", true), M(3, "aggregationRule", "AggregationRule")],
        ["AggregationRule"] = [M(1, "clusterRoleSelectors", "LabelSelector", true)],
        ["PolicyRule"] = [Ss(1, "verbs"), Ss(2, "apiGroups"), Ss(3, "resources"), Ss(4, "resourceNames"), Ss(5, "nonResourceURLs")],
        ["RoleBinding"] = [M(1, "metadata", "ObjectMeta"), M(2, "subjects", "Subject", true), M(3, "roleRef", "RoleRef")],
        ["ClusterRoleBinding"] = [M(1, "metadata", "ObjectMeta"), M(2, "subjects", "Subject", true), M(3, "roleRef", "RoleRef")],
        ["Subject"] = [S(1, "kind"), S(2, "apiGroup"), S(3, "name"), S(4, "namespace")],
        ["RoleRef"] = [S(1, "apiGroup"), S(2, "kind"), S(3, "name")],
        ["TokenRequest"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "TokenRequestSpec"), Skip(3, "status")],
        ["TokenRequestSpec"] = [Ss(1, "audiences"), I64(4, "expirationSeconds", true), M(3, "boundObjectRef", "BoundObjectReference")],
        ["BoundObjectReference"] = [S(1, "kind"), S(2, "apiVersion"), S(3, "name"), S(4, "uid")],
        ["ObjectReference"] = [S(1, "kind"), S(2, "namespace"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), S(6, "resourceVersion"), S(7, "fieldPath")],
        ["Service"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "ServiceSpec"), Skip(3, "status")],
        ["ServiceSpec"] =
        [
            M(1, "ports", "ServicePort", true), M(2, "selector", "map"), S(3, "clusterIP"), S(4, "type"), Ss(5, "externalIPs"), S(7, "sessionAffinity"),
            S(8, "loadBalancerIP"), Ss(9, "loadBalancerSourceRanges"), S(10, "externalName"), S(11, "externalTrafficPolicy"), I32(12, "healthCheckNodePort"),
            B(13, "publishNotReadyAddresses"), Ss(18, "clusterIPs"), Ss(19, "ipFamilies"), Sp(17, "ipFamilyPolicy"), B(20, "allocateLoadBalancerNodePorts", true),
            Sp(21, "loadBalancerClass"), Sp(22, "internalTrafficPolicy"),
        ],
        ["ServicePort"] = [S(1, "name"), S(2, "protocol"), I32(3, "port"), M(4, "targetPort", "IntOrString"), I32(5, "nodePort"), Sp(6, "appProtocol")],
        ["Deployment"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "DeploymentSpec"), Skip(3, "status")],
        ["DeploymentSpec"] =
        [
            I32(1, "replicas", true), M(2, "selector", "LabelSelector"), M(3, "template", "PodTemplateSpec"), M(4, "strategy", "DeploymentStrategy"),
            I32(5, "minReadySeconds"), I32(6, "revisionHistoryLimit", true), B(7, "paused"), I32(9, "progressDeadlineSeconds", true),
        ],
        ["DeploymentStrategy"] = [S(1, "type"), M(2, "rollingUpdate", "RollingUpdateDeployment")],
        ["RollingUpdateDeployment"] = [M(1, "maxUnavailable", "IntOrString"), M(2, "maxSurge", "IntOrString")],
        ["SelfSubjectAccessReview"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "SelfSubjectAccessReviewSpec"), Skip(3, "status")],
        ["SelfSubjectAccessReviewSpec"] = [M(1, "resourceAttributes", "ResourceAttributes"), M(2, "nonResourceAttributes", "NonResourceAttributes")],
        ["ResourceAttributes"] =
        [
            S(1, "namespace"), S(2, "verb"), S(3, "group"), S(4, "version"), S(5, "resource"), S(6, "subresource"), S(7, "name"),
            Skip(8, "fieldSelector"), Skip(9, "labelSelector"),
        ],
        ["NonResourceAttributes"] = [S(1, "path"), S(2, "verb")],
        ["ObjectMeta"] =
        [
            S(1, "name"), S(2, "generateName"), S(3, "namespace"), S(4, "selfLink"), S(5, "uid"), S(6, "resourceVersion"),
            I64(7, "generation"), M(8, "creationTimestamp", "Time"), M(9, "deletionTimestamp", "Time"), I64(10, "deletionGracePeriodSeconds", true),
            M(11, "labels", "map"), M(12, "annotations", "map"), M(13, "ownerReferences", "OwnerReference", true), Ss(14, "finalizers"),
            M(17, "managedFields", "Skip", true),
        ],
        ["OwnerReference"] = [S(1, "kind"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), B(6, "controller", true), B(7, "blockOwnerDeletion", true)],
        ["JobSpec"] =
        [
            I32(1, "parallelism", true), I32(2, "completions", true), I64(3, "activeDeadlineSeconds", true), M(4, "selector", "LabelSelector"),
            B(5, "manualSelector", true), M(6, "template", "PodTemplateSpec"), I32(7, "backoffLimit", true), I32(8, "ttlSecondsAfterFinished", true),
            Sp(9, "completionMode"), B(10, "suspend", true), I32(12, "backoffLimitPerIndex", true), I32(13, "maxFailedIndexes", true),
            Sp(14, "podReplacementPolicy"), Sp(16, "managedBy"),
        ],
        ["LabelSelector"] = [M(1, "matchLabels", "map"), M(2, "matchExpressions", "LabelSelectorRequirement", true)],
        ["LabelSelectorRequirement"] = [S(1, "key"), S(2, "operator"), Ss(3, "values")],
        ["PodTemplateSpec"] = [M(1, "metadata", "ObjectMeta"), M(2, "spec", "PodSpec")],
        ["PodSpec"] =
        [
            M(1, "volumes", "Volume", true), M(2, "containers", "Container", true), S(3, "restartPolicy"), I64(4, "terminationGracePeriodSeconds", true),
            I64(5, "activeDeadlineSeconds", true), S(6, "dnsPolicy"), M(7, "nodeSelector", "map"), S(8, "serviceAccountName"), S(9, "serviceAccount"),
            S(10, "nodeName"), B(11, "hostNetwork"), B(12, "hostPID"), B(13, "hostIPC"), M(14, "securityContext", "PodSecurityContext"),
            M(15, "imagePullSecrets", "LocalObjectReference", true), S(16, "hostname"), S(17, "subdomain"), S(19, "schedulerName"),
            M(20, "initContainers", "Container", true), B(21, "automountServiceAccountToken", true), M(22, "tolerations", "Toleration", true),
            M(18, "affinity", "Affinity"), S(24, "priorityClassName"), I32(25, "priority", true), B(27, "shareProcessNamespace", true), B(30, "enableServiceLinks", true),
            Sp(31, "preemptionPolicy"),
        ],
        ["Affinity"] = [M(1, "nodeAffinity", "NodeAffinity")],
        ["NodeAffinity"] =
        [
            M(1, "requiredDuringSchedulingIgnoredDuringExecution", "NodeSelector"),
            M(2, "preferredDuringSchedulingIgnoredDuringExecution", "PreferredSchedulingTerm", true),
        ],
        ["NodeSelector"] = [M(1, "nodeSelectorTerms", "NodeSelectorTerm", true)],
        ["NodeSelectorTerm"] = [M(1, "matchExpressions", "NodeSelectorRequirement", true), M(2, "matchFields", "NodeSelectorRequirement", true)],
        ["NodeSelectorRequirement"] = [S(1, "key"), S(2, "operator"), Ss(3, "values")],
        ["PreferredSchedulingTerm"] = [I32(1, "weight"), M(2, "preference", "NodeSelectorTerm")],
        ["PodSecurityContext"] = [I64(2, "runAsUser", true), B(3, "runAsNonRoot", true), I64(5, "fsGroup", true), I64(6, "runAsGroup", true)],
        ["LocalObjectReference"] = [S(1, "name")],
        ["Toleration"] = [S(1, "key"), S(2, "operator"), S(3, "value"), S(4, "effect"), I64(5, "tolerationSeconds", true)],
        ["Container"] =
        [
            S(1, "name"), S(2, "image"), Ss(3, "command"), Ss(4, "args"), S(5, "workingDir"), M(6, "ports", "ContainerPort", true),
            M(7, "env", "EnvVar", true), M(8, "resources", "ResourceRequirements"), M(9, "volumeMounts", "VolumeMount", true),
            S(13, "terminationMessagePath"), S(14, "imagePullPolicy"), M(15, "securityContext", "SecurityContext"), B(16, "stdin"),
            B(17, "stdinOnce"), B(18, "tty"), M(19, "envFrom", "EnvFromSource", true), S(20, "terminationMessagePolicy"),
        ],
        ["SecurityContext"] =
        [
            B(2, "privileged", true), I64(4, "runAsUser", true), B(5, "runAsNonRoot", true), B(6, "readOnlyRootFilesystem", true),
            B(7, "allowPrivilegeEscalation", true), I64(8, "runAsGroup", true),
        ],
        ["ContainerPort"] = [S(1, "name"), I32(2, "hostPort"), I32(3, "containerPort"), S(4, "protocol"), S(5, "hostIP")],
        ["EnvVar"] = [S(1, "name"), S(2, "value"), M(3, "valueFrom", "EnvVarSource")],
        ["EnvVarSource"] = [M(1, "fieldRef", "ObjectFieldSelector"), M(3, "configMapKeyRef", "KeySelector"), M(4, "secretKeyRef", "KeySelector")],
        ["ObjectFieldSelector"] = [S(1, "apiVersion"), S(2, "fieldPath")],
        ["KeySelector"] = [Inline(1, "LocalObjectReference"), S(2, "key"), B(3, "optional", true)],
        ["EnvFromSource"] = [S(1, "prefix"), M(2, "configMapRef", "EnvSource"), M(3, "secretRef", "EnvSource")],
        ["EnvSource"] = [Inline(1, "LocalObjectReference"), B(2, "optional", true)],
        ["ResourceRequirements"] = [M(1, "limits", "quantitymap"), M(2, "requests", "quantitymap")],
        ["VolumeMount"] = [S(1, "name"), B(2, "readOnly"), S(3, "mountPath"), S(4, "subPath"), Sp(5, "mountPropagation"), S(6, "subPathExpr")],
        ["Volume"] = [S(1, "name"), Inline(2, "VolumeSource")],
        ["VolumeSource"] =
        [
            M(1, "hostPath", "HostPathVolumeSource"), M(2, "emptyDir", "EmptyDirVolumeSource"), M(6, "secret", "SecretVolumeSource"),
            M(10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource"), M(19, "configMap", "ConfigMapVolumeSource"),
        ],
        ["HostPathVolumeSource"] = [S(1, "path"), Sp(2, "type")],
        ["EmptyDirVolumeSource"] = [S(1, "medium"), M(2, "sizeLimit", "Quantity")],
        ["SecretVolumeSource"] = [S(1, "secretName"), M(2, "items", "KeyToPath", true), I32(3, "defaultMode", true), B(4, "optional", true)],
        ["ConfigMapVolumeSource"] = [Inline(1, "LocalObjectReference"), M(2, "items", "KeyToPath", true), I32(3, "defaultMode", true), B(4, "optional", true)],
        ["KeyToPath"] = [S(1, "key"), S(2, "path"), I32(3, "mode", true)],
        ["PersistentVolumeClaimVolumeSource"] = [S(1, "claimName"), B(2, "readOnly")],
    };
}
