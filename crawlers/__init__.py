"""Scrapy project: spiders per partner network, pure parsers, pipelines and the sandbox."""
