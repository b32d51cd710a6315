#!/usr/bin/env bash
# Builds the root filesystem of Switchboard's container image, without a Docker daemon or a base image
# (mvn -Pimage package; README "Deploy", docs/decisions/0042-container-image-without-a-base-image.md):
#   /opt/java   a Java runtime linked with jlink from the JDK that runs the build (only the modules Switchboard uses)
#   /lib, /lib64  the shared libraries that runtime loads (glibc, libstdc++, zlib...), copied from the build machine,
#               found by asking the dynamic linker (ldd) about every ELF file of the runtime
#   /etc        passwd/group naming the unprivileged user 10001, nsswitch.conf, the CA certificates (Java trust store)
#   /tmp        the writable temp directory (Kubernetes mounts an emptyDir there)
# Jib adds the application layers on top (pom.xml, profile image).
set -euo pipefail

java_home="$1"        # the JDK that runs Maven: ${java.home}
root="$2"             # output: target/image-root
modules="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,\
java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,\
jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"

rm -rf "$root"
mkdir -p "$root/opt" "$root/etc" "$root/tmp"
"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
  --strip-debug --no-man-pages --no-header-files --compress=2

# the trust store: the build JDK's (on Debian a link to the ca-certificates-java store), as a real file
rm -f "$root/opt/java/lib/security/cacerts"
cp -L "$java_home/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"

# shared libraries: every library any ELF file of the runtime needs, under the path the dynamic linker uses
copy_library() {
  local path="$1"
  [ -e "$root$path" ] && return 0
  mkdir -p "$root$(dirname "$path")"
  cp -L "$path" "$root$path"
}
while IFS= read -r -d '' file; do
  if head -c 4 "$file" | grep -q $'\x7fELF'; then
    ldd "$file" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/[^ ]+ \(/{print $1}' | while read -r library; do
      case "$library" in
        "$root"/*) ;;                                   # the runtime's own libraries
        /*) copy_library "$library" ;;
      esac
    done
  fi
done < <(find "$root/opt/java" -type f \( -name '*.so' -o -perm -u+x \) \
  -not -name 'libawt_xawt.so' -not -name 'libsplashscreen.so' -not -name 'libjsound.so' \
  -not -name 'libfontmanager.so' -not -name 'liblcms.so' -not -name 'libjavajpeg.so' -print0)
# (the desktop libraries skipped above load only for a display, sound or fonts, which a headless server never uses)

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
switchboard:x:10001:10001:Switchboard:/tmp:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
switchboard:x:10001:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
echo "Image root filesystem: $(du -sh "$root" | cut -f1) in $root"
