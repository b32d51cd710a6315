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
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests under config/kubernetes/ are what a cluster accepts (each parses strictly into fabric8's Kubernetes
 * model: an unknown or misspelt field fails) and carry what running several Switchboard pods depends on.
 */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("config/kubernetes");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KUSTOMIZATION = "kustomization.yaml";
    final List<Map<String, Object>> documents = load();

    @Test
    void should_parse_every_manifest_strictly_into_the_kubernetes_model() throws Exception {
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        for (Map<String, Object> document : documents) {
            if ("Kustomization".equals(document.get("kind"))) {
                continue;
            }
            String name = document.get("kind") + " " + at(document, "metadata.name");
            KubernetesResource resource = Serialization.unmarshal(JSON.writeValueAsString(document), KubernetesResource.class);
            if (resource instanceof GenericKubernetesResource) {
                problems.add(name + ": apiVersion/kind unknown to the Kubernetes model");
            }
            unknownFields(resource, name, problems);
            parsed++;
        }
        assertThat(problems).isEmpty();
        assertThat(parsed).isGreaterThanOrEqualTo(7);
    }

    @Test
    void should_find_a_misspelt_field_as_the_strict_parse_does() throws Exception {
        Map<String, Object> deployment = one("Deployment");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        spec.put("replica", 2);
        List<String> problems = new ArrayList<>();
        unknownFields(Serialization.unmarshal(JSON.writeValueAsString(deployment), KubernetesResource.class),
                "Deployment", problems);
        assertThat(problems).containsExactly("Deployment.spec: unknown field(s) [replica]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void should_list_every_manifest_and_the_image_in_the_kustomization() throws IOException {
        Map<String, Object> kustomization = one("Kustomization");
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> manifests = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals(KUSTOMIZATION)).sorted().toList();
            assertThat((List<Object>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(manifests);
        }
        Map<?, ?> image = (Map<?, ?>) ((List<?>) kustomization.get("images")).get(0);
        assertThat(image.get("name")).isEqualTo(at(container(), "image"));
        assertThat(image.get("newTag")).isNotNull();
        // the routes ConfigMap is generated from a copy of the repository's default sink routes: the two stay equal
        Map<?, ?> routes = (Map<?, ?>) ((List<?>) kustomization.get("configMapGenerator")).get(0);
        assertThat(routes.get("name")).isEqualTo("switchboard-routes");
        for (Object file : (List<?>) routes.get("files")) {
            assertThat(DIR.resolve((String) file)).hasSameTextualContentAs(Path.of("routes")
                    .resolve(Path.of((String) file).getFileName()));
        }
    }

    @Test
    void should_probe_the_actuator_on_the_management_port_that_the_service_does_not_expose() {
        Map<String, Object> container = container();
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe + ".httpGet.port")).as(probe).isEqualTo("management");
        }
        Map<Object, Object> ports = new java.util.HashMap<>();
        ((List<?>) at(container, "ports")).forEach(port -> ports.put(((Map<?, ?>) port).get("name"),
                ((Map<?, ?>) port).get("containerPort")));
        assertThat(ports).containsEntry("http", 8080).containsEntry("management", 8081);
        List<?> servicePorts = (List<?>) at(one("Service"), "spec.ports");
        assertThat(servicePorts).allSatisfy(port -> {
            assertThat(at(port, "targetPort")).isIn("http", 8080);
        });
        assertThat(at(one("Deployment"), "spec.template.metadata.annotations"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("prometheus.io/port", "8081");
    }

    @Test
    void should_run_as_non_root_on_a_read_only_root_filesystem_with_an_empty_dir_for_temp() {
        Map<String, Object> pod = map(at(one("Deployment"), "spec.template.spec"));
        Map<String, Object> container = container();
        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
        assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        Map<Object, Object> mounts = new java.util.HashMap<>();
        ((List<?>) container.get("volumeMounts")).forEach(m -> mounts.put(at(m, "mountPath"), at(m, "name")));
        Map<Object, Object> volumes = new java.util.HashMap<>();
        ((List<?>) pod.get("volumes")).forEach(v -> volumes.put(at(v, "name"), v));
        assertThat(volumes.get(mounts.get("/tmp"))).satisfies(tmp -> assertThat(at(tmp, "emptyDir")).isNotNull());
        // sink routes from a ConfigMap at the image's ./routes (working directory /app)
        assertThat(at(volumes.get(mounts.get("/app/routes")), "configMap.name")).isEqualTo("switchboard-routes");
    }

    @Test
    void should_pause_before_stopping_within_the_grace_period_with_requests_and_limits() {
        Map<String, Object> container = container();
        Integer pause = (Integer) at(container, "lifecycle.preStop.sleep.seconds");
        Integer grace = (Integer) at(one("Deployment"), "spec.template.spec.terminationGracePeriodSeconds");
        assertThat(pause).isPositive();
        assertThat(grace - pause).as("time left to drain after the pause").isGreaterThanOrEqualTo(30);
        assertThat(at(container, "resources.requests.cpu")).isNotNull();
        assertThat(at(container, "resources.limits.cpu")).isNotNull();
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

    /** Every fabric8 model object reached from {@code node} that kept fields the model does not know. */
    static void unknownFields(Object node, String path, List<String> problems) throws Exception {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), problems);
            }
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || !name.startsWith("get") || name.equals("getClass")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(node);
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                unknownFields(value, path + "." + field, problems);
            }
        }
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
