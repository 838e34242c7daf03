// `statevisord --echo-config`: a commented sample configuration to start from, as
// supervisor's echo_supervisord_conf prints one. It is a file both daemons load unchanged:
// supervisor's sections and defaults, with statevisor's own keys commented out beside
// them (supervisord ignores the keys it does not know).
export const SAMPLE_CONFIG = `; Sample statevisord configuration (statevisord --echo-config).
;
; statevisord reads supervisord's configuration files, and supervisord reads this one:
; statevisor's own keys are options supervisord does not know, which it ignores.
;
; Lines starting with ';' are comments; so is ' ;' and what follows it on a line.
; %(here)s is the directory of this file; %(ENV_NAME)s is an environment variable.
; Paths below are in /tmp to keep the sample runnable; in production use
; /run/statevisor (the socket and pidfile) and /var/log/statevisor (the logs).

[unix_http_server]
file=/tmp/supervisor.sock   ; the socket statevisorctl and supervisorctl talk to
;chmod=0700                 ; the socket file's mode (default 0700)
;chown=nobody:nogroup       ; its uid:gid owner
;username=user              ; Basic auth on every path (default: none)
;password=123               ; cleartext, or {SHA} and the hex SHA-1 of it

;[inet_http_server]         ; the TCP server, off unless this section is there
;port=127.0.0.1:9001        ; ip_address:port, or *:port for every interface
;username=user              ; Basic auth on every path (default: none)
;password=123               ; cleartext, or {SHA} and the hex SHA-1 of it

[supervisord]
logfile=/tmp/supervisord.log ; the main log (default $CWD/supervisord.log)
logfile_maxbytes=50MB        ; rotated past this size (default 50MB; 0: never)
logfile_backups=10           ; rotated files kept (default 10; 0: none)
loglevel=info                ; critical, error, warn, info, debug, trace, blather
pidfile=/tmp/supervisord.pid ; (default supervisord.pid)
nodaemon=false               ; true: stay in the foreground (containers, systemd)
silent=false                 ; true: no log on stdout in the foreground
minfds=1024                  ; file descriptors it needs at start (default 1024)
minprocs=200                 ; processes it needs at start (default 200)
;umask=022                   ; the daemon's umask (default 022)
;user=supervisord            ; drop to this user at start (when started as root)
;identifier=supervisor       ; the name XML-RPC clients see (default supervisor)
;directory=/tmp              ; chdir here when it daemonizes
;nocleanup=true              ; keep old AUTO child logs at start (default false)
;childlogdir=/tmp            ; where AUTO child logs go (default: the temp dir)
;environment=KEY="value"     ; added to every program's environment
;strip_ansi=false            ; strip ANSI escapes from child logs (default false)
; statevisor's own:
;subreaper=false             ; true: adopt and reap orphaned descendants
;                            ; (PR_SET_CHILD_SUBREAPER); as PID 1 it always reaps
;open_probes=false           ; true: /healthz, /readyz, /metrics answer without auth
;death_signal=none           ; default signal programs get if the daemon dies
;environment_file=-/etc/default/app ; dotenv files for every program ('-': may be missing)
;logformat=text              ; text or json: the main log's records

; The XML-RPC interface statevisorctl and supervisorctl need.
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix:///tmp/supervisor.sock ; unix:// for a socket, http:// for TCP
;username=chris              ; as in the server's section
;password=123                ; as in the server's section
;prompt=mysupervisor         ; the interactive shell's prompt (default supervisor)
;history_file=~/.sc_history  ; keep the shell's history in this file

; One [program:x] section per program. Copy it without the leading ';'.
;[program:theprogramname]
;command=/bin/cat              ; the program and its arguments (relative uses PATH)
;process_name=%(program_name)s ; with numprocs > 1, include %(process_num)s
;numprocs=1                    ; how many processes to run (default 1)
;directory=/tmp                ; chdir here before exec (default: no chdir)
;umask=022                     ; the process's umask (default: the daemon's)
;priority=999                  ; lower starts first and stops last (default 999)
;autostart=true                ; start with the daemon (default true)
;startsecs=1                   ; up this long counts as started (default 1)
;startretries=3                ; failed starts in a row before FATAL (default 3)
;autorestart=unexpected        ; false, unexpected or true (default unexpected)
;exitcodes=0                   ; the expected exit codes (default 0)
;stopsignal=QUIT               ; TERM, HUP, INT, QUIT, KILL, USR1 or USR2 (default TERM)
;stopwaitsecs=10               ; then SIGKILL (default 10)
;stopasgroup=false             ; send the stop signal to its process group (default false)
;killasgroup=false             ; SIGKILL its process group (default false)
;user=chrism                   ; run as this user (the daemon must be root)
;redirect_stderr=true          ; stderr into the stdout log (default false)
;stdout_logfile=/a/path        ; a path, NONE or AUTO (default AUTO)
;stdout_logfile_maxbytes=1MB   ; rotated past this size (default 50MB; 0: never)
;stdout_logfile_backups=10     ; rotated files kept (default 10; 0: none)
;stdout_capture_maxbytes=1MB   ; capture mode for PROCESS_COMMUNICATION events (default 0)
;stdout_events_enabled=false   ; PROCESS_LOG_STDOUT events (default false)
;stdout_syslog=false           ; also send stdout to syslog (default false)
;stderr_logfile=/a/path        ; a path, NONE or AUTO (default AUTO)
;stderr_logfile_maxbytes=1MB   ; rotated past this size (default 50MB; 0: never)
;stderr_logfile_backups=10     ; rotated files kept (default 10; 0: none)
;stderr_capture_maxbytes=1MB   ; capture mode for PROCESS_COMMUNICATION events (default 0)
;stderr_events_enabled=false   ; PROCESS_LOG_STDERR events (default false)
;stderr_syslog=false           ; also send stderr to syslog (default false)
;environment=A="1",B="2"       ; added to the daemon's environment
;serverurl=AUTO                ; SUPERVISOR_SERVER_URL for the process (default AUTO)
; statevisor's own:
;exit_on=fatal                 ; fatal, unexpected or exit: end the daemon with the
;                              ; process's exit status when it does (default: never)
;death_signal=TERM             ; sent to it if the daemon dies, even by SIGKILL
;environment_file=/etc/app.env ; dotenv files, read at each start
;log_format=raw                ; raw, timestamped or json: its stdout/stderr logs

; An event listener pool: its processes read events on stdin.
;[eventlistener:theeventlistenername]
;command=/bin/eventlistener    ; the program and its arguments (relative uses PATH)
;process_name=%(program_name)s ; with numprocs > 1, include %(process_num)s
;numprocs=1                    ; how many listeners in the pool (default 1)
;events=EVENT                  ; the event types it wants (required)
;buffer_size=10                ; events kept waiting for a listener (default 10)
;priority=-1                   ; lower starts first and stops last (default -1)
;autostart=true                ; start with the daemon (default true)
;autorestart=unexpected        ; false, unexpected or true (default unexpected)
;stdout_logfile=/a/path        ; the protocol's own channel: keep it NONE or a file
;stderr_logfile=/a/path        ; a path, NONE or AUTO (default AUTO)

; Programs put together under one name (start, stop and restart them as one).
;[group:thegroupname]
;programs=progname1,progname2  ; [program:x] names
;priority=999                  ; lower starts first and stops last (default 999)
; statevisor's own:
;strategy=one_for_one          ; one_for_one, one_for_all or rest_for_one

; More files, read after this one (globs; relative to this file).
;[include]
;files = relative/directory/*.ini
`;
