def detention_saved(sender, instance, created, raw=False, **kwargs):
    """A change to a detention (a check recorded late, the end) may make alerts stale."""
    if raw or created:
        return
    from .services import close_stale_on_commit

    close_stale_on_commit(instance.pk)
