//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` from the
//! distribution's packages, in a temporary directory, on a free loopback port, as
//! `nobody` when the tests run as root. One cluster per test process, a fresh database
//! per test. A watchdog process stops it and removes its directory once this process
//! is gone, however it ends. Without the server binaries the tests say why and pass,
//! unless `PAYDECK_REQUIRE_POSTGRES=1` (CI) makes that a failure.
//!
//! It uses only the `postgres`, `uuid` and `libc` crates, so the integration tests
//! include this same file (`tests/common/mod.rs`); the library's tests add
//! `fresh_pg` (`pg_test_store.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

/// How long the server may take to accept connections after `pg_ctl start`.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running cluster: its port, and where its data and binaries are (to stop it and
/// start it again).
pub struct Cluster {
    port: u16,
    bin: PathBuf,
    root: PathBuf,
    /// Where its certificate and key are, when it serves TLS.
    tls: Option<PathBuf>,
}

/// The database URL of a new, empty database on this process's cluster; `None` (after
/// saying why, once) when the server binaries are missing.
pub fn fresh_url() -> Option<String> {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match CLUSTER.get_or_init(start) {
        Ok(cluster) => Some(cluster.new_database()),
        Err(why) => skipped(why),
    }
}

/// A cluster of the caller's own, which it may stop and start (the shared one of
/// [`fresh_url`] must stay up for the other tests); `None` as [`fresh_url`] says.
pub fn own_cluster() -> Option<Cluster> {
    start().map_or_else(|why| skipped(&why), Some)
}

/// A cluster of the caller's own that serves TLS with a certificate for the host name
/// `name`, signed by a CA of its own; and that CA's certificate, the root a client
/// must trust. `None` as [`fresh_url`] says, or without the `openssl` command.
pub fn own_tls_cluster(name: &str) -> Option<(Cluster, PathBuf)> {
    if !Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return skipped("no openssl command to make certificates with (install openssl)");
    }
    let mut cluster = own_cluster()?;
    let dir = cluster.root.join("tls");
    let ca = certificates(&dir, name).expect("the test certificates");
    // The server reads its key only if no one else may (0600), as its own user.
    let mut chmod = Command::new("chmod");
    chmod.arg("600").arg(dir.join("server.key"));
    run(chmod, "chmod 600 server.key").expect("the key kept private");
    if unsafe { libc::geteuid() } == 0 {
        let mut chown = Command::new("chown");
        chown.arg("-R").arg("nobody").arg(&dir);
        run(chown, "chown nobody").expect("the certificates handed to the server");
    }
    cluster.kill_server().expect("the cluster stops");
    cluster.tls = Some(dir);
    cluster.start_server().expect("the cluster starts with TLS");
    Some((cluster, ca))
}

/// A CA in `dir` (made if need be), and a certificate and key for the host name `name`
/// signed by it (`server.crt`, `server.key`), made with the `openssl` command; the
/// CA's certificate.
pub fn certificates(dir: &Path, name: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let p256 = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let openssl = |args: &[&str], what: &str| {
        let mut command = Command::new("openssl");
        command.current_dir(dir).args(args);
        run(command, what)
    };
    let ca_subject = ["-subj", "/CN=paydeck test CA", "-days", "2"];
    openssl(
        &[
            &["req", "-x509"][..],
            &p256,
            &ca_subject,
            &["-keyout", "ca.key", "-out", "ca.pem"],
        ]
        .concat(),
        "openssl: the CA",
    )?;
    let subject = format!("/CN={name}");
    openssl(
        &[
            &["req"][..],
            &p256,
            &[
                "-subj",
                &subject,
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        ]
        .concat(),
        "openssl: the server's request",
    )?;
    std::fs::write(
        dir.join("server.ext"),
        format!(
            "subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        ),
    )
    .map_err(|e| format!("server.ext: {e}"))?;
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ],
        "openssl: the server's certificate",
    )?;
    Ok(dir.join("ca.pem"))
}

/// Says once why the PostgreSQL tests are skipped, or fails under
/// `PAYDECK_REQUIRE_POSTGRES=1`.
fn skipped<T>(why: &str) -> Option<T> {
    if std::env::var("PAYDECK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("PAYDECK_REQUIRE_POSTGRES=1 but the PostgreSQL tests cannot run: {why}");
    }
    static SAID: Once = Once::new();
    // Past the test harness's capture (which `eprintln!` goes to), so that it shows.
    SAID.call_once(|| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "PostgreSQL tests skipped: {why}");
    });
    None
}

/// Where `initdb` and `pg_ctl` are: on PATH, else the highest version under
/// /usr/lib/postgresql/*/bin (Debian and Ubuntu keep them off PATH).
fn server_bin_dir() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let on_path = std::env::split_paths(&path);
    let packaged = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| {
            let mut versions: Vec<(u32, PathBuf)> = dir
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse().ok()?;
                    Some((version, e.path().join("bin")))
                })
                .collect();
            versions.sort();
            versions.into_iter().rev().map(|(_, bin)| bin).collect()
        })
        .unwrap_or_else(|_| Vec::new());
    on_path
        .chain(packaged)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

/// `program` from `bin`, run as `nobody` when this process is root (initdb refuses root).
fn server_command(bin: &Path, program: &str) -> Command {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        let mut command = Command::new("runuser");
        command.args(["-u", "nobody", "--"]).arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Finds the binaries (their absence is the one `Err`: skip) and starts the cluster;
/// any other failure panics, since the tests would be skipped for a wrong reason.
fn start() -> Result<Cluster, String> {
    let Some(bin) = server_bin_dir() else {
        return Err(
            "no initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin \
                    (install the distribution's postgresql package)"
                .into(),
        );
    };
    match start_in(&bin) {
        Ok(cluster) => Ok(cluster),
        Err(why) => panic!("the test PostgreSQL cluster did not start: {why}"),
    }
}

fn start_in(bin: &Path) -> Result<Cluster, String> {
    let root = std::env::temp_dir().join(format!("paydeck-pg-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    // SAFETY: as above.
    if unsafe { libc::geteuid() } == 0 {
        let mut chown = Command::new("chown");
        chown.arg("nobody").arg(&root);
        run(chown, "chown nobody")?;
    }
    watch(bin, &root)?;
    let data = root.join("data");
    let mut initdb = server_command(bin, "initdb");
    initdb
        .args([
            "-A",
            "trust",
            "-U",
            "paydeck",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(&data);
    run(initdb, "initdb")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("finding a free port: {e}"))?
        .port();
    let cluster = Cluster {
        port,
        bin: bin.to_path_buf(),
        root,
        tls: None,
    };
    cluster.start_server()?;
    Ok(cluster)
}

/// A shell that outlives this process by at most a second: once this process is gone
/// it stops the server and removes its directory. Its own process group, so a Ctrl-C
/// to the tests does not take it first.
fn watch(bin: &Path, root: &Path) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let as_server = if unsafe { libc::geteuid() } == 0 {
        "runuser -u nobody -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {parent} 2>/dev/null; do sleep 1; done; \
         {as_server}'{pg_ctl}' stop -m immediate -D '{root}/data' >/dev/null 2>&1; rm -rf '{root}'",
        parent = std::process::id(),
        pg_ctl = bin.join("pg_ctl").display(),
        root = root.display(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("starting the cluster's watchdog: {e}"))
}

impl Cluster {
    /// Starts the server (again) on its port and waits until it takes connections.
    pub fn start_server(&self) -> Result<(), String> {
        let mut pg_ctl = server_command(&self.bin, "pg_ctl");
        pg_ctl
            .args([
                "start",
                "-w",
                "-t",
                &START_TIMEOUT.as_secs().to_string(),
                "-D",
            ])
            .arg(self.root.join("data"))
            .arg("-l")
            .arg(self.root.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off{}",
                self.port,
                self.root.display(),
                self.tls.as_ref().map_or_else(String::new, |dir| format!(
                    " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                    dir.join("server.crt").display(),
                    dir.join("server.key").display()
                ))
            ));
        run(pg_ctl, "pg_ctl start").map_err(|e| {
            let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
            format!("{e}\nserver log:\n{log}")
        })?;
        self.wait_for_connections()
    }

    /// Stops the server at once, as a crash would (`pg_ctl stop -m immediate`): its
    /// clients' connections drop.
    pub fn kill_server(&self) -> Result<(), String> {
        let mut pg_ctl = server_command(&self.bin, "pg_ctl");
        pg_ctl
            .args(["stop", "-w", "-m", "immediate", "-D"])
            .arg(self.root.join("data"));
        run(pg_ctl, "pg_ctl stop")
    }

    /// The URL of a new, empty database on this cluster.
    pub fn new_database(&self) -> String {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("the test cluster takes connections");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE on the test cluster");
        self.url(&name)
    }

    fn url(&self, database: &str) -> String {
        format!(
            "postgres://paydeck@127.0.0.1:{}/{database}?connect_timeout=10",
            self.port
        )
    }

    /// Connecting until the server says yes, for at most [`START_TIMEOUT`].
    fn wait_for_connections(&self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match postgres::Client::connect(&self.url("postgres"), postgres::NoTls) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("the server never accepted a connection: {e}"));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}
