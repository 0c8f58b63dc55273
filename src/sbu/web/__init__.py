"""The web doors of sbu: server-rendered HTML pages and the JSON API, built by :func:`create_app`.

Thin on purpose: routes parse the request, call the missions' queries and services, and render.
"""
