def rating_history(request, slug):
    raise NotImplementedError
