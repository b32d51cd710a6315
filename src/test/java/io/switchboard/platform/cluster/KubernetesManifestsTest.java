package io.switchboard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The manifests under config/kubernetes/ carry what running several Switchboard pods depends on. */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("config/kubernetes");
    final List<Map<String, Object>> documents = load();

    @Test
    void should_probe_the_actuator_liveness_and_readiness_groups() {
        Map<String, Object> container = container();
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe.httpGet.port")).isEqualTo("http");
        List<Object> ports = ((List<?>) at(container, "ports")).stream()
                .map(port -> (Object) ((Map<?, ?>) port).get("containerPort")).toList();
        assertThat(ports).contains(8080);
    }

    @Test
    void should_take_every_secret_from_a_secret_reference_never_from_the_config_map() {
        Map<String, String> secretRefs = new java.util.HashMap<>();
        for (Object entry : (List<?>) at(container(), "env")) {
            Map<?, ?> env = (Map<?, ?>) entry;
            Object ref = at(env, "valueFrom.secretKeyRef.name");
            if (ref != null) {
                secretRefs.put((String) env.get("name"), (String) ref);
            }
        }
        assertThat(secretRefs).containsOnlyKeys("SPRING_DATASOURCE_PASSWORD", "SWITCHBOARD_API_KEYS",
                "CXONE_CLIENT_SECRET", "GENESYS_CLIENT_SECRET");
        assertThat(secretRefs.values()).containsOnly("switchboard-secrets");
        Map<?, ?> data = (Map<?, ?>) one("ConfigMap").get("data");
        assertThat(data.keySet()).noneMatch(key -> ((String) key).matches("(?i).*(SECRET|PASSWORD|API_KEYS).*"));
        assertThat(data.get("SWITCHBOARD_CLUSTER_ENABLED")).isEqualTo("true");
        assertThat(data.get("SWITCHBOARD_CLUSTER_SERVICE")).isEqualTo("kubernetes");
        assertThat(data.get("SPRING_PROFILES_ACTIVE")).isEqualTo("live");
    }

    @Test
    void should_let_the_pods_service_account_hold_a_lease_for_leader_election() {
        Map<String, Object> role = one("Role");
        assertThat((List<?>) role.get("rules")).anySatisfy(rule -> {
            assertThat(at(rule, "apiGroups")).asList().contains("coordination.k8s.io");
            assertThat(at(rule, "resources")).asList().contains("leases");
            assertThat(at(rule, "verbs")).asList().contains("get", "create", "update");
        });
        Map<String, Object> binding = one("RoleBinding");
        assertThat(at(binding, "roleRef.name")).isEqualTo(at(role, "metadata.name"));
        String account = (String) at(one("ServiceAccount"), "metadata.name");
        assertThat((List<?>) binding.get("subjects")).anySatisfy(subject -> assertThat(at(subject, "name")).isEqualTo(account));
        assertThat(at(one("Deployment"), "spec.template.spec.serviceAccountName")).isEqualTo(account);
        List<Object> names = ((List<?>) at(container(), "env")).stream()
                .map(env -> (Object) ((Map<?, ?>) env).get("name")).toList();
        assertThat(names).contains("SWITCHBOARD_CLUSTER_KUBERNETES_POD_NAME");
    }

    @Test
    void should_run_several_replicas_with_a_disruption_budget_a_service_and_sized_resources() {
        Map<String, Object> deployment = one("Deployment");
        assertThat((Integer) at(deployment, "spec.replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> podLabels = map(at(deployment, "spec.template.metadata.labels"));
        assertThat(podLabels).containsAllEntriesOf(map(at(one("PodDisruptionBudget"), "spec.selector.matchLabels")));
        assertThat(at(one("PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(1);
        assertThat(podLabels).containsAllEntriesOf(map(at(one("Service"), "spec.selector")));
        Map<String, Object> container = container();
        assertThat(at(container, "resources.requests.memory")).isEqualTo("512Mi");
        assertThat(at(container, "resources.requests.cpu")).isNotNull();
        assertThat(at(container, "resources.limits.memory")).isEqualTo("1Gi");
        assertThat((Integer) at(deployment, "spec.template.spec.terminationGracePeriodSeconds")).isGreaterThan(30);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> container() {
        List<?> containers = (List<?>) at(one("Deployment"), "spec.template.spec.containers");
        return (Map<String, Object>) containers.get(0);
    }

    private Map<String, Object> one(String kind) {
        List<Map<String, Object>> matching = documents.stream().filter(doc -> kind.equals(doc.get("kind"))).toList();
        assertThat(matching).as("manifests of kind " + kind).hasSize(1);
        return matching.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load() {
        List<Map<String, Object>> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml().loadAll(reader)) {
                        if (doc != null) {
                            all.add((Map<String, Object>) doc);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }
}
