{{/* Chart name, overridable. */}}
{{- define "cachemode.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every namespaced resource name: the release name, plus the chart name when it is not already in it. */}}
{{- define "cachemode.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cachemode.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cachemode.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cachemode.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cachemode.labels" -}}
helm.sh/chart: {{ include "cachemode.chart" . }}
{{ include "cachemode.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: cachemode
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cachemode.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cachemode.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "cachemode.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "cachemode.metricsServiceName" -}}
{{- printf "%s-metrics" (include "cachemode.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Permissions the operator needs on the namespaced objects it manages: the same rules go into the ClusterRole (all
namespaces) or into one Role per watched namespace. No wildcards; write verbs only where the operator writes.
*/}}
{{- define "cachemode.managedRules" -}}
# patch: the finalizer that lets the operator release its claim on the Secret when a CacheMode is deleted.
- apiGroups: ["cachemode.io"]
  resources: ["cachemodes"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["cachemode.io"]
  resources: ["cachemodes/status"]
  verbs: ["get", "patch", "update"]
# The operator server-side-applies one key plus the cachemode.io/managed-key label and cachemode.io/owner
# annotation; its Secret informer is label-selected. It never creates or deletes Secrets.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "patch"]
# Restarts patch the pod template; rollouts are watched through informers.
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "patch"]
# Log checks: the pods of a restarted workload's current revision are listed by its selector, and their logs read
# through the API server. No watch, no get on pods, no exec.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* Fails rendering on value combinations the schema cannot express. */}}
{{- define "cachemode.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 requires leaderElection.enabled=true: without a Lease every replica would reconcile and restart workloads" }}
{{- end }}
{{- end }}
