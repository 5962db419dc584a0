-- wrk script: the trivial endpoint, the HTTP stack's ceiling in the same run.
request = function() return wrk.format("GET", "/livez") end
