package main

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// valueSource reads the data of a Secret or ConfigMap as the kubelet would when the container
// starts. found is false when the object does not exist.
type valueSource interface {
	secret(name string) (data map[string]string, found bool, err error)
	configMap(name string) (data map[string]string, found bool, err error)
}

// envValue resolves one environment variable of a container the way the kubelet builds the
// environment: envFrom entries in order (a later one wins), then env entries, which override them.
// Sources the stand-in does not model (fieldRef, resourceFieldRef, $(VAR) expansion) leave the
// variable unset; the apps this stands in for read their flag from a Secret.
func envValue(c corev1.Container, name string, src valueSource) (value string, present bool, err error) {
	for _, from := range c.EnvFrom {
		var data map[string]string
		var found bool
		switch {
		case from.SecretRef != nil:
			data, found, err = src.secret(from.SecretRef.Name)
		case from.ConfigMapRef != nil:
			data, found, err = src.configMap(from.ConfigMapRef.Name)
		default:
			continue
		}
		if err != nil {
			return "", false, err
		}
		if !found {
			continue
		}
		if key, ok := strings.CutPrefix(name, from.Prefix); ok {
			if v, ok := data[key]; ok {
				value, present = v, true
			}
		}
	}
	for _, e := range c.Env {
		if e.Name != name {
			continue
		}
		v, ok, err := envVarValue(e, src)
		if err != nil {
			return "", false, err
		}
		value, present = v, ok
	}
	return value, present, nil
}

func envVarValue(e corev1.EnvVar, src valueSource) (string, bool, error) {
	if e.ValueFrom == nil {
		return e.Value, true, nil
	}
	var name, key string
	var read func(string) (map[string]string, bool, error)
	switch {
	case e.ValueFrom.SecretKeyRef != nil:
		name, key, read = e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key, src.secret
	case e.ValueFrom.ConfigMapKeyRef != nil:
		name, key, read = e.ValueFrom.ConfigMapKeyRef.Name, e.ValueFrom.ConfigMapKeyRef.Key, src.configMap
	default:
		return "", false, nil
	}
	data, found, err := read(name)
	if err != nil || !found {
		return "", false, err
	}
	v, ok := data[key]
	return v, ok, nil
}
