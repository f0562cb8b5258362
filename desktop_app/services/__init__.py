"""Use cases. Each service owns its transaction, checks the actor and returns frozen DTOs.

Services are Qt-free: long operations take `progress(done, total, message)` and `cancelled()`.
"""
