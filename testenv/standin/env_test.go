package main

import (
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

type fakeValues struct {
	secrets, configMaps map[string]map[string]string
	err                 error
}

func (f fakeValues) secret(name string) (map[string]string, bool, error) {
	d, ok := f.secrets[name]
	return d, ok, f.err
}

func (f fakeValues) configMap(name string) (map[string]string, bool, error) {
	d, ok := f.configMaps[name]
	return d, ok, f.err
}

var appEnv = fakeValues{
	secrets: map[string]map[string]string{
		"atom-saas-env": {"SUSPEND_REDIS": "true", "DATABASE_URL": "postgres://db"},
		"other":         {"SUSPEND_REDIS": "false", "FLAG": "TRUE"},
	},
	configMaps: map[string]map[string]string{"settings": {"SUSPEND_REDIS": "from-configmap"}},
}

func secretRef(name, prefix string) corev1.EnvFromSource {
	return corev1.EnvFromSource{Prefix: prefix,
		SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: name}}}
}

func secretKey(variable, name, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: variable, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}}}
}

func TestEnvironmentResolution(t *testing.T) {
	cases := []struct {
		name      string
		container corev1.Container
		variable  string
		value     string
		present   bool
	}{
		{"envFrom the Secret", corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("atom-saas-env", "")}},
			"SUSPEND_REDIS", "true", true},
		{"the code reads another name (act two)",
			corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("atom-saas-env", "")}},
			"REDIS_DISABLED", "", false},
		{"a later envFrom wins", corev1.Container{EnvFrom: []corev1.EnvFromSource{
			secretRef("atom-saas-env", ""), secretRef("other", "")}}, "SUSPEND_REDIS", "false", true},
		{"envFrom with a prefix", corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("other", "APP_")}},
			"APP_FLAG", "TRUE", true},
		{"the prefix hides the plain name", corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("other", "APP_")}},
			"FLAG", "", false},
		{"env overrides envFrom", corev1.Container{
			EnvFrom: []corev1.EnvFromSource{secretRef("atom-saas-env", "")},
			Env:     []corev1.EnvVar{{Name: "SUSPEND_REDIS", Value: "no"}}}, "SUSPEND_REDIS", "no", true},
		{"env secretKeyRef to another key", corev1.Container{Env: []corev1.EnvVar{
			secretKey("SUSPEND_REDIS", "other", "FLAG")}}, "SUSPEND_REDIS", "TRUE", true},
		{"env secretKeyRef to a missing key", corev1.Container{Env: []corev1.EnvVar{
			secretKey("SUSPEND_REDIS", "other", "NOPE")}}, "SUSPEND_REDIS", "", false},
		{"a missing Secret", corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("gone", "")}},
			"SUSPEND_REDIS", "", false},
		{"configMapKeyRef", corev1.Container{Env: []corev1.EnvVar{{Name: "SUSPEND_REDIS",
			ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}, Key: "SUSPEND_REDIS"}}}}},
			"SUSPEND_REDIS", "from-configmap", true},
		{"a fieldRef is not modelled", corev1.Container{Env: []corev1.EnvVar{{Name: "SUSPEND_REDIS",
			ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}}}},
			"SUSPEND_REDIS", "", false},
		{"no environment", corev1.Container{}, "SUSPEND_REDIS", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			value, present, err := envValue(c.container, c.variable, appEnv)
			if err != nil || value != c.value || present != c.present {
				t.Fatalf("got (%q, %t, %v), want (%q, %t, nil)", value, present, err, c.value, c.present)
			}
		})
	}
}

func TestAnApiErrorIsReportedNotReadAsUnset(t *testing.T) {
	broken := fakeValues{err: errors.New("connection refused")}
	c := corev1.Container{EnvFrom: []corev1.EnvFromSource{secretRef("atom-saas-env", "")}}
	if _, _, err := envValue(c, "SUSPEND_REDIS", broken); err == nil {
		t.Fatal("an error reading the Secret must not read as an unset variable")
	}
}
