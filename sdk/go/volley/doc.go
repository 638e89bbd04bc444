// Run Volley, the Kubernetes-native stream processor, on EKS, GKE or any Kubernetes: cluster, node pools, shared checkpoints, KEDA, Prometheus, the Volley operator and applications in one program.
package volley
