"""Long work off the page: the job bodies (`jobs.tasks`), who runs them (`jobs.queue`), the worker (`jobs.worker`).

A page or command asks `jobs.queue.start` for a job; the store records it (`store.jobs`), and a runner
executes it: a worker process listening to the Redis queue when `XINYU_BROKER_URL` is set, otherwise a
background thread of the app process. Either way the progress, the result (in the storage) and the error
are in the database, so any app server shows them and a closed page loses nothing.
"""
