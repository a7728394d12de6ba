/* monitor_conclude.c: after the run: fd leaks, orphans, structure and the process tree, as
 * facts (see monitor.h and monitor_facts.h). */
#include "monitor_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ---- facts about one process or pipe ---- */

struct monitor_process *monitor_add_fact_process(struct monitor_snapshot *s, const struct mproc *p)
{
	struct monitor_process *fp = monitor_snapshot_add_process(s);
	fp->pid = p->pid;
	fp->parent = p->parent;
	memcpy(fp->role, p->role, sizeof fp->role);
	memcpy(fp->exe, p->exe, sizeof fp->exe);
	fp->started_at = p->t_start;
	fp->exec_at = p->exe[0] ? p->t_exec : -1;
	fp->ended_at = p->t_end;
	fp->end = p->alive          ? MONITOR_END_RUNNING
		  : p->exited_alone ? MONITOR_END_EXITED
				    : MONITOR_END_KILLED;
	fp->exit_code = p->exited_alone ? WEXITSTATUS(p->exit_status) : 0;
	if (fp->end == MONITOR_END_KILLED && p->term_signal) {
		/* what its delivery said, when it was this very signal (SIGKILL has none) */
		if (p->delivered.signo == p->term_signal)
			fp->killed_by = p->delivered;
		else
			fp->killed_by.signo = p->term_signal;
	}
	fp->out = p->out;
	return fp;
}

struct monitor_pipe monitor_fact_pipe(const struct mpipe *pp)
{
	struct monitor_pipe fp;
	memset(&fp, 0, sizeof fp);
	memcpy(fp.name, pp->name, sizeof fp.name);
	fp.inode = pp->inode;
	fp.harness = pp->harness;
	fp.capacity = pp->capacity;
	return fp;
}

/* Where the processes and pipes of a finding were made: their stacks, kept at fork() and
 * pipe(), unwound now (only findings pay for it). */
static void locate(struct monitor *m, struct monitor_facts *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->snap.nprocs; i++) {
		struct monitor_process *fp = &f->snap.procs[i];
		const struct mproc *p = monitor_proc(m, fp->pid);
		if (p && p->forked_at)
			monitor_stack_site(p->forked_at, &fp->forked_at);
	}
	for (size_t i = 0; i < f->snap.npipes; i++) {
		struct monitor_pipe *fp = &f->snap.pipes[i];
		for (size_t k = 0; k < m->npipes; k++)
			if (m->pipes[k].inode == fp->inode && m->pipes[k].made)
				monitor_stack_site(m->pipes[k].made, &fp->made);
	}
}

/* Hands `f` to the conclusion's list of findings, located. */
static void add_found(struct monitor *m, struct monitor_conclusion *c, struct monitor_facts *f)
{
	locate(m, f);
	ALLOC_GROW(c->found, c->nfound + 1, c->found_cap);
	c->found[c->nfound++] = f;
}

/* ---- fd leaks ---- */

static enum monitor_fd_kind fact_kind(enum proc_file_kind k)
{
	switch (k) {
	case PFK_FILE:
		return MONITOR_FD_FILE;
	case PFK_FIFO:
		return MONITOR_FD_FIFO;
	case PFK_SOCKET:
		return MONITOR_FD_SOCKET;
	case PFK_DEVICE:
		return MONITOR_FD_DEVICE;
	case PFK_DIR:
		return MONITOR_FD_DIR;
	case PFK_OTHER:
		break;
	}
	return MONITOR_FD_OTHER;
}

/* Every fd above 2 of a snapshot taken at exec or exit (its pipe fds and its other fds), by
 * fd number, as the leak of `p`; NULL when there are none. */
static struct monitor_facts *leak(struct monitor *m, const struct mproc *p,
				  const struct proc_fds *fds, const struct proc_files *files,
				  bool at_exec)
{
	struct monitor_facts *f = NULL;
	struct monitor_process *fp = NULL;
	size_t k = 0, o = 0;
	while (k < fds->n || o < files->n) {
		const struct proc_fd *pf = k < fds->n ? &fds->v[k] : NULL;
		const struct proc_file *of = o < files->n ? &files->v[o] : NULL;
		bool pipe = pf && (!of || pf->fd < of->fd);
		if (!pipe && !of)
			break; /* not reached: the loop's condition holds one of them */
		int fd = pipe ? pf->fd : of->fd;
		k += pipe;
		o += !pipe;
		if (fd <= 2)
			continue;
		if (!f) {
			f = monitor_facts_new(FINDING_FD_LEAK);
			f->at_exec = at_exec;
			fp = monitor_add_fact_process(&f->snap, p);
		}
		if (!pipe) {
			monitor_process_add_file(fp, fd, fact_kind(of->kind), of->name, of->mode);
			continue;
		}
		struct monitor_pipe mp = monitor_fact_pipe(monitor_pipe(m, pf->inode));
		int at = monitor_snapshot_add_pipe(&f->snap, &mp);
		monitor_process_add_fd(fp, fd, at, pf->end);
	}
	return f;
}

/* A program it exec'd is told about the fds above 2 it inherited; the student's own code
 * about those it kept when it exited by itself. */
static void find_leaks(struct monitor *m, struct monitor_conclusion *c)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		struct monitor_facts *f = NULL;
		if (p->exe[0])
			f = leak(m, p, &p->at_exec, &p->exec_files, true);
		else if (p->exited_alone)
			f = leak(m, p, &p->at_exit, &p->exit_files, false);
		if (f)
			add_found(m, c, f);
	}
}

/* ---- orphans ---- */

static void find_orphans(struct monitor *m, int leftovers, struct monitor_conclusion *c)
{
	bool found = false;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		if (p->exe[0] || !p->exited_alone || p->unwaited.n == 0)
			continue;
		struct monitor_facts *f = monitor_facts_new(FINDING_ORPHAN);
		struct monitor_process *fp = monitor_add_fact_process(&f->snap, p);
		fp->unwaited = xmalloc(p->unwaited.n * sizeof *fp->unwaited);
		memcpy(fp->unwaited, p->unwaited.v, p->unwaited.n * sizeof *fp->unwaited);
		fp->nunwaited = p->unwaited.n;
		for (size_t k = 0; k < p->unwaited.n; k++) {
			const struct mproc *kid = monitor_proc(m, p->unwaited.v[k]);
			if (kid && !monitor_snapshot_find(&f->snap, kid->pid))
				monitor_add_fact_process(&f->snap, kid);
		}
		add_found(m, c, f);
		found = true;
	}
	if (!found && leftovers > 0) {
		struct monitor_facts *f = monitor_facts_new(FINDING_ORPHAN);
		f->leftovers = leftovers;
		add_found(m, c, f);
	}
}

/* ---- crashes ---- */

/* Signals that mean the program crashed, whoever got them. */
static bool crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT || sig == SIGSYS || sig == SIGTRAP;
}

/* Every process killed by a crash signal; and the main process killed by any signal but
 * SIGKILL (its end is the run's: grade.c reports it, and these facts say more of it). A
 * SIGKILL may be pipegrade's own, ending the case, and its sender is never told. */
static void find_crashes(struct monitor *m, struct monitor_conclusion *c)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		int sig = p->term_signal;
		if (p->alive || p->exited_alone || !sig || p->asked) /* asked for its stacks */
			continue;
		if (!crash_signal(sig) && (i != 0 || sig == SIGKILL))
			continue;
		struct monitor_facts *f = monitor_facts_new(FINDING_CRASH);
		const struct monitor_process *fp = monitor_add_fact_process(&f->snap, p);
		const struct mproc *from = fp->killed_by.from == MONITOR_SENDER_PROCESS
						   ? monitor_proc(m, fp->killed_by.sender)
						   : NULL;
		if (from)
			monitor_add_fact_process(&f->snap, from);
		add_found(m, c, f);
	}
}

/* Every process of an interpreted program that exited with status 1 after writing a traceback:
 * an uncaught exception. */
static void find_exceptions(struct monitor *m, struct monitor_conclusion *c)
{
	for (size_t i = 0; m->interpreted && i < m->nprocs; i++) {
		const struct mproc *p = &m->procs[i];
		struct monitor_exception e;
		memset(&e, 0, sizeof e);
		if (p->exe[0] || p->asked || !p->exited_alone || WEXITSTATUS(p->exit_status) != 1 ||
		    !monitor_parse_traceback(p->err_tail, p->err_n, m->script, &e))
			continue;
		struct monitor_facts *f = monitor_facts_new(FINDING_CRASH);
		monitor_add_fact_process(&f->snap, p)->exception = e;
		add_found(m, c, f);
	}
}

/* ---- the processes busy at the end ---- */

/* Its CPU time grew in its last samples, and it lived until the last sampling or later. */
static bool busy_at_end(const struct monitor *m, const struct mproc *p)
{
	return m->sampled_at >= 0 && p->sampled && p->idle < MONITOR_BUSY_SAMPLES &&
	       (p->alive || p->t_end >= m->sampled_at);
}

/* ---- structure ---- */

/* Some process held only one end while another process held the other end. */
static bool ends_split(const struct pidlist *only, const struct pidlist *other)
{
	for (size_t a = 0; a < only->n; a++)
		for (size_t b = 0; b < other->n; b++)
			if (only->v[a] != other->v[b])
				return true;
	return false;
}

static bool some_pipe_connected(const struct monitor *m)
{
	for (size_t i = 0; i < m->npipes; i++) {
		const struct mpipe *pp = &m->pipes[i];
		if (!pp->harness && (ends_split(&pp->write_only, &pp->readers) ||
				     ends_split(&pp->read_only, &pp->writers)))
			return true;
	}
	return false;
}

static void find_structure(struct monitor *m, const struct requires *req, int pipes,
			   struct monitor_conclusion *c)
{
	struct monitor_structure st = { *req, pipes, m->forks, false, false, false };
	st.few_pipes = req->pipes > 0 && pipes < req->pipes;
	st.few_forks = req->forks > 0 && m->forks < req->forks;
	st.unconnected = req->connected && pipes > 0 && !some_pipe_connected(m);
	if (!st.few_pipes && !st.few_forks && !st.unconnected)
		return;
	struct monitor_facts *f = monitor_facts_new(FINDING_STRUCTURE);
	f->structure = st;
	add_found(m, c, f);
}

/* ---- the conclusions ---- */

void monitor_conclude(struct monitor *m, const struct requires *req, int leftovers,
		      struct monitor_conclusion *c)
{
	memset(c, 0, sizeof *c);
	c->stuck = m->stuck;
	c->stuck_after_s = m->stuck_at;
	c->stuck_facts = m->stuck_facts;
	m->stuck_facts = NULL;
	locate(m, c->stuck_facts);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct monitor_process *fp = monitor_add_fact_process(&c->tree, &m->procs[i]);
		fp->busy = busy_at_end(m, &m->procs[i]);
	}
	c->processes = (int)m->nprocs;
	c->forks = m->forks;
	c->max_fds = m->max_fds;
	c->max_alive = m->max_alive;
	c->vm_peak_failed = m->vm_peak_failed;
	c->signals_refused = m->signals_refused;
	c->schedule = m->schedule; /* moved */
	memset(&m->schedule, 0, sizeof m->schedule);
	for (size_t i = 0; i < m->npipes; i++)
		c->pipes += !m->pipes[i].harness;
	find_crashes(m, c);
	find_exceptions(m, c);
	find_leaks(m, c);
	find_orphans(m, leftovers, c);
	if (req)
		find_structure(m, req, c->pipes, c);
}

void monitor_conclusion_free(struct monitor_conclusion *c)
{
	monitor_facts_free(c->stuck_facts);
	for (size_t i = 0; i < c->nfound; i++)
		monitor_facts_free(c->found[i]);
	free(c->found);
	monitor_snapshot_free(&c->tree);
	monitor_schedule_free(&c->schedule);
	memset(c, 0, sizeof *c);
}
