namespace KubeRunbooks.Tasks; internal static class Placeholder {}
