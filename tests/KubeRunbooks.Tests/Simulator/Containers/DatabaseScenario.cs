namespace KubeRunbooks.Tests.Simulator.Containers;

/// <summary>
/// The test world of the database pods: one PostgreSQL, one MariaDB and one Redis (the real servers), each behind a
/// Service, and an idle <c>toolbox</c> pod for clients. Passwords come from a Secret, as the seeds' pods get them.
/// </summary>
internal static class DatabaseScenario
{
    /// <summary>The MariaDB root password the scenario sets (a test value, scanned for in outputs).</summary>
    public const string MariaDbRootPassword = "t3st-Root'pw\\x";

    /// <summary>The PostgreSQL superuser password.</summary>
    public const string PostgresPassword = "t3st-pg-password";

    /// <summary>Writes the scenario file into <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "databases.yaml");
        File.WriteAllText(path, $$"""
            readinessDelaySeconds: 0
            objects:
              - { apiVersion: v1, kind: Namespace, metadata: { name: db } }
              - apiVersion: v1
                kind: Secret
                metadata: { name: credentials, namespace: db }
                type: Opaque
                stringData: { MYSQL_ROOT_PASSWORD: "{{MariaDbRootPassword.Replace("\\", "\\\\").Replace("\"", "\\\"")}}", POSTGRES_PASSWORD: "{{PostgresPassword}}" }
              - apiVersion: v1
                kind: ConfigMap
                metadata: { name: redis-config, namespace: db }
                data: { redis.conf: "save 900 1\nappendonly yes\n" }
              - { apiVersion: v1, kind: Service, metadata: { name: postgres, namespace: db }, spec: { selector: { app: postgres }, ports: [{ port: 5432, targetPort: 5432 }] } }
              - { apiVersion: v1, kind: Service, metadata: { name: mariadb, namespace: db }, spec: { selector: { app: mariadb }, ports: [{ port: 3306, targetPort: 3306 }] } }
              - { apiVersion: v1, kind: Service, metadata: { name: backend-redis, namespace: db }, spec: { selector: { app: redis }, ports: [{ port: 6379, targetPort: 6379 }] } }
              - apiVersion: apps/v1
                kind: Deployment
                metadata: { name: postgres, namespace: db }
                spec:
                  replicas: 1
                  selector: { matchLabels: { app: postgres } }
                  template:
                    metadata: { labels: { app: postgres } }
                    spec:
                      terminationGracePeriodSeconds: 20
                      containers:
                        - name: postgres
                          image: postgres:10
                          env: [{ name: POSTGRES_PASSWORD, valueFrom: { secretKeyRef: { name: credentials, key: POSTGRES_PASSWORD } } }]
                          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql/data }]
                      volumes: [{ name: data, hostPath: { path: /var/lib/kamonohashi/postgresql/data } }]
              - apiVersion: apps/v1
                kind: Deployment
                metadata: { name: mariadb, namespace: db }
                spec:
                  replicas: 1
                  selector: { matchLabels: { app: mariadb } }
                  template:
                    metadata: { labels: { app: mariadb } }
                    spec:
                      containers:
                        - name: mariadb
                          image: mariadb:10.9
                          env:
                            - { name: MYSQL_ROOT_PASSWORD, valueFrom: { secretKeyRef: { name: credentials, key: MYSQL_ROOT_PASSWORD } } }
                            - { name: MYSQL_DATABASE, value: platform }
                          volumeMounts: [{ name: data, mountPath: /var/lib/mysql }]
                      volumes: [{ name: data, emptyDir: {} }]
              - apiVersion: apps/v1
                kind: Deployment
                metadata: { name: redis, namespace: db }
                spec:
                  replicas: 1
                  selector: { matchLabels: { app: redis } }
                  template:
                    metadata: { labels: { app: redis } }
                    spec:
                      containers:
                        - name: redis
                          image: registry.redhat.io/rhel8/redis-6:1
                          volumeMounts:
                            - { name: data, mountPath: /var/lib/redis/data }
                            - { name: config, mountPath: /etc/redis.d }
                      volumes:
                        - { name: data, persistentVolumeClaim: { claimName: redis-data } }
                        - { name: config, configMap: { name: redis-config } }
              - apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: { name: redis-data, namespace: db }
                spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
              - apiVersion: v1
                kind: Pod
                metadata: { name: toolbox, namespace: db, labels: { app: toolbox } }
                spec:
                  containers:
                    - name: toolbox
                      image: mariadb:10.9
                      command: [sleep, infinity]
                      env:
                        - { name: MYSQL_ROOT_PASSWORD, valueFrom: { secretKeyRef: { name: credentials, key: MYSQL_ROOT_PASSWORD } } }
                        - { name: PF_DB_HOST, value: mariadb.db.svc }
            """);
        return path;
    }
}
